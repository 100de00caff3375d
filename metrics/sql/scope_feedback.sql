-- Feedback rows in scope: standards of scope_standard, the scope's year
-- (the year of the period YYYY-Qn) and the regions of the reporting sites,
-- among the feedback that counts (counted_feedback: approved submissions, or
-- every row when the warehouse setting count_unapproved is on).
with
feedback_rows as (
    select
        site_id, standard_code, period,
        cast(left(period, 4) as integer) as year,
        status, coverage_pct, applicability, operability, clarity, benefit,
        satisfaction, incidents_before, incidents_after
    from counted_feedback
),
sites as (
    select site_id, region_code from pilot_site
),
standards as (
    select standard_code from scope_standard
),
final as (
    select f.*
    from feedback_rows f
    left join sites s on s.site_id = f.site_id
    where f.standard_code in (select standard_code from standards)
      and ($year::integer is null or f.year = $year::integer)
      and ($region_codes::varchar[] is null
           or list_contains($region_codes::varchar[], s.region_code))
)
select * from final
