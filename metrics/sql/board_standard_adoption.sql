-- Adoption of one standard ($standard_code) by org type and by region:
-- survey responses, aware share, adoption share (partial or full), within
-- the reader's filters (survey_in_view: in_view.sql); surveys are
-- programme-wide, so a pilot-site scope sees none.
with
responses as (
    select org_type, region_code, aware, adoption from survey_in_view
    where standard_code = $standard_code::varchar
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
