-- The 13 priority areas of §7 (and unmapped standards, null id): standards,
-- feedback, programmes, sites, survey adoption and money within the
-- reader's filters and access scope.
with
sites as (
    select site_id, program_id from pilot_site
    where ($site_ids::varchar[] is null or list_contains($site_ids::varchar[], site_id))
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], region_code))
      and ($org_types::varchar[] is null or list_contains($org_types::varchar[], org_type))
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], program_id))
),
fb as (
    select s.priority_area as area_id, count(*) as feedback_rows,
           count(distinct f.standard_code) as standards_with_feedback,
           count(distinct st.program_id) as programs, count(distinct f.site_id) as sites,
           avg(f.satisfaction) as mean_satisfaction
    from feedback f
    join sites st using (site_id)
    join standard s on s.code = f.standard_code
    where ($year_from::integer is null or cast(left(f.period, 4) as integer) >= $year_from::integer)
      and ($year_to::integer is null or cast(left(f.period, 4) as integer) <= $year_to::integer)
    group by all
),
sv as (
    select s.priority_area as area_id, count(*) as survey_rows,
           avg(case when v.adoption in ('partial', 'full') then 1.0 else 0.0 end) as adoption_rate
    from survey v
    join standard s on s.code = v.standard_code
    where $site_ids::varchar[] is null and $program_ids::varchar[] is null
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], v.region_code))
      and ($org_types::varchar[] is null or list_contains($org_types::varchar[], v.org_type))
      and ($year_from::integer is null or v.survey_year >= $year_from::integer)
      and ($year_to::integer is null or v.survey_year <= $year_to::integer)
    group by all
),
money as (
    select s.priority_area as area_id,
           sum(m.amount_cny) filter (where m.flow = 'committed')::double as committed_cny,
           sum(m.amount_cny) filter (where m.flow = 'disbursed')::double as disbursed_cny
    from funding m
    join standard s on s.code = m.standard_code
    where $site_ids::varchar[] is null and $org_types::varchar[] is null
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], m.region_code))
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], m.program_id))
      and ($year_from::integer is null or m.fiscal_year >= $year_from::integer)
      and ($year_to::integer is null or m.fiscal_year <= $year_to::integer)
    group by all
),
catalogue as (
    select priority_area as area_id, count(*) as standards from standard group by all
),
areas as (
    select id as area_id, name_zh, name_en, ord from priority_area
    union all
    select null, null, null, 99 where exists (select 1 from standard where priority_area is null)
),
final as (
    select
        a.area_id, a.name_zh, a.name_en, a.ord,
        coalesce(c.standards, 0) as standards,
        coalesce(fb.standards_with_feedback, 0) as standards_with_feedback,
        coalesce(fb.feedback_rows, 0) as feedback_rows,
        coalesce(fb.programs, 0) as programs,
        coalesce(fb.sites, 0) as sites,
        fb.mean_satisfaction,
        coalesce(sv.survey_rows, 0) as survey_rows,
        sv.adoption_rate,
        coalesce(money.committed_cny, 0) as committed_cny,
        coalesce(money.disbursed_cny, 0) as disbursed_cny
    from areas a
    left join catalogue c on c.area_id is not distinct from a.area_id
    left join fb on fb.area_id is not distinct from a.area_id
    left join sv on sv.area_id is not distinct from a.area_id
    left join money on money.area_id is not distinct from a.area_id
    where $priority_area::varchar is null or a.area_id = $priority_area::varchar
)
select * from final
order by ord
