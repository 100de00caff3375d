-- Adoption of one standard ($standard_code) by org type and by region:
-- survey responses, aware share, adoption share (partial or full), within
-- the reader's filters; surveys are programme-wide, so a pilot-site scope
-- sees none.
with
responses as (
    select v.org_type, v.region_code, v.aware, v.adoption
    from survey v
    where v.standard_code = $standard_code::varchar
      and $site_ids::varchar[] is null and $program_ids::varchar[] is null
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], v.region_code))
      and ($org_types::varchar[] is null or list_contains($org_types::varchar[], v.org_type))
      and ($year_from::integer is null or v.survey_year >= $year_from::integer)
      and ($year_to::integer is null or v.survey_year <= $year_to::integer)
),
grouped as (
    select 'org_type' as grouping_name, org_type as key, count(*) as responses,
           avg(case when aware then 1.0 else 0.0 end) as aware_rate,
           avg(case when adoption in ('partial', 'full') then 1.0 else 0.0 end) as adoption_rate
    from responses group by org_type
    union all
    select 'region', region_code, count(*),
           avg(case when aware then 1.0 else 0.0 end),
           avg(case when adoption in ('partial', 'full') then 1.0 else 0.0 end)
    from responses group by region_code
),
final as (
    select g.*, coalesce(o.name_zh, r.name_zh) as name_zh, coalesce(o.name_en, r.name_en) as name_en
    from grouped g
    left join org_type o on g.grouping_name = 'org_type' and o.id = g.key
    left join region r on g.grouping_name = 'region' and r.code = g.key
)
select * from final
order by grouping_name, responses desc, key
