-- The 34 province-level regions: pilot sites, feedback, survey adoption,
-- mean satisfaction and money within the reader's filters and access scope.
with
sites as (
    select site_id, region_code from pilot_site
    where ($site_ids::varchar[] is null or list_contains($site_ids::varchar[], site_id))
      and ($org_types::varchar[] is null or list_contains($org_types::varchar[], org_type))
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], program_id))
),
fb as (
    select st.region_code, count(*) as feedback_rows, count(distinct f.site_id) as sites,
           avg(f.satisfaction) as mean_satisfaction
    from feedback f
    join sites st using (site_id)
    left join standard s on s.code = f.standard_code
    where ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($year_from::integer is null or cast(left(f.period, 4) as integer) >= $year_from::integer)
      and ($year_to::integer is null or cast(left(f.period, 4) as integer) <= $year_to::integer)
    group by all
),
sv as (
    select v.region_code, count(*) as survey_rows,
           avg(case when v.adoption in ('partial', 'full') then 1.0 else 0.0 end) as adoption_rate
    from survey v
    left join standard s on s.code = v.standard_code
    where $site_ids::varchar[] is null and $program_ids::varchar[] is null
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($org_types::varchar[] is null or list_contains($org_types::varchar[], v.org_type))
      and ($year_from::integer is null or v.survey_year >= $year_from::integer)
      and ($year_to::integer is null or v.survey_year <= $year_to::integer)
    group by all
),
money as (
    select m.region_code,
           sum(m.amount_cny) filter (where m.flow = 'committed')::double as committed_cny,
           sum(m.amount_cny) filter (where m.flow = 'disbursed')::double as disbursed_cny
    from funding m
    left join standard s on s.code = m.standard_code
    where $site_ids::varchar[] is null and $org_types::varchar[] is null
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], m.program_id))
      and ($year_from::integer is null or m.fiscal_year >= $year_from::integer)
      and ($year_to::integer is null or m.fiscal_year <= $year_to::integer)
    group by all
),
final as (
    select
        r.code as region_code, r.name_zh, r.name_en,
        coalesce(fb.sites, 0) as sites,
        coalesce(fb.feedback_rows, 0) as feedback_rows,
        fb.mean_satisfaction,
        coalesce(sv.survey_rows, 0) as survey_rows,
        sv.adoption_rate,
        coalesce(money.committed_cny, 0) as committed_cny,
        coalesce(money.disbursed_cny, 0) as disbursed_cny
    from region r
    left join fb on fb.region_code = r.code
    left join sv on sv.region_code = r.code
    left join money on money.region_code = r.code
    where $region_codes::varchar[] is null or list_contains($region_codes::varchar[], r.code)
)
select * from final
order by region_code
