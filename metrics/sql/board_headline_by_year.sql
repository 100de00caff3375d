-- Headline figures per year within the reader's filters and access scope:
-- feedback rows and reporting sites (year of the period), survey responses
-- (survey_year), committed and disbursed money (fiscal_year). A pilot-site
-- scope ($site_ids set) sees its own feedback only: surveys and money are
-- programme-wide records.
with
sites as (
    select site_id from pilot_site
    where ($site_ids::varchar[] is null or list_contains($site_ids::varchar[], site_id))
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], region_code))
      and ($org_types::varchar[] is null or list_contains($org_types::varchar[], org_type))
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], program_id))
),
standards as (
    select code from standard
    where $priority_area::varchar is null or priority_area = $priority_area::varchar
),
fb as (
    select cast(left(f.period, 4) as integer) as year, count(*) as feedback_rows,
           count(distinct f.site_id) as sites_reporting,
           count(distinct f.standard_code) as standards_with_feedback,
           avg(f.satisfaction) as mean_satisfaction
    from feedback f
    join sites using (site_id)
    join standards s on s.code = f.standard_code
    group by all
),
sv as (
    select survey_year::integer as year, count(*) as survey_rows,
           avg(case when adoption in ('partial', 'full') then 1.0 else 0.0 end) as adoption_rate
    from survey v
    join standards s on s.code = v.standard_code
    where $site_ids::varchar[] is null and $program_ids::varchar[] is null
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], v.region_code))
      and ($org_types::varchar[] is null or list_contains($org_types::varchar[], v.org_type))
    group by all
),
money as (
    select fiscal_year::integer as year,
           sum(amount_cny) filter (where flow = 'committed')::double as committed_cny,
           sum(amount_cny) filter (where flow = 'disbursed')::double as disbursed_cny
    from funding m
    left join standard s on s.code = m.standard_code
    where $site_ids::varchar[] is null and $org_types::varchar[] is null
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], m.region_code))
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], m.program_id))
    group by all
),
years as (
    select year from fb union select year from sv union select year from money
),
final as (
    select
        y.year,
        coalesce(fb.feedback_rows, 0) as feedback_rows,
        coalesce(fb.sites_reporting, 0) as sites_reporting,
        coalesce(fb.standards_with_feedback, 0) as standards_with_feedback,
        fb.mean_satisfaction,
        coalesce(sv.survey_rows, 0) as survey_rows,
        sv.adoption_rate,
        coalesce(money.committed_cny, 0) as committed_cny,
        coalesce(money.disbursed_cny, 0) as disbursed_cny
    from years y
    left join fb using (year)
    left join sv using (year)
    left join money using (year)
    where ($year_from::integer is null or y.year >= $year_from::integer)
      and ($year_to::integer is null or y.year <= $year_to::integer)
)
select * from final
order by year
