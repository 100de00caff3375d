-- One voice per site (SCORING.md §1): per standard, each site's latest
-- answer to each question within each year, and over all years in scope
-- (year_key 'overall'). A blank in a later report does not erase an earlier
-- answer; the incident counts are taken as a pair from the latest report
-- that has both. Values are integers so that every sum is exact:
-- Likert x as x - 1 (scale 4), coverage in hundredths of a percent (scale
-- 10000), completed as 0/1.
with
feedback_rows as (
    select * from scope_feedback
),
keyed as (
    select *, cast(year as varchar) as year_key from feedback_rows
    union all
    select *, 'overall' as year_key from feedback_rows where $with_overall
),
latest as (
    select
        standard_code, year_key, site_id,
        arg_max(applicability, period) filter (where applicability is not null) as applicability,
        arg_max(operability, period) filter (where operability is not null) as operability,
        arg_max(clarity, period) filter (where clarity is not null) as clarity,
        arg_max(benefit, period) filter (where benefit is not null) as benefit,
        arg_max(satisfaction, period) filter (where satisfaction is not null) as satisfaction,
        arg_max(coverage_pct, period) filter (where coverage_pct is not null) as coverage_pct,
        arg_max(status, period) filter (where status is not null) as status,
        arg_max(incidents_before, period)
            filter (where incidents_before is not null and incidents_after is not null)
            as incidents_before,
        arg_max(incidents_after, period)
            filter (where incidents_before is not null and incidents_after is not null)
            as incidents_after
    from keyed
    group by standard_code, year_key, site_id
),
final as (
    select
        standard_code,
        year_key,
        site_id,
        cast(applicability - 1 as integer) as fb_applicability,
        cast(operability - 1 as integer) as fb_operability,
        cast(clarity - 1 as integer) as fb_clarity,
        cast(benefit - 1 as integer) as fb_benefit,
        cast(satisfaction - 1 as integer) as fb_satisfaction,
        -- greatest/least skip NULLs in DuckDB: keep a blank coverage blank, not 0.
        case when coverage_pct is not null
            then cast(round(least(greatest(coverage_pct, 0), 100) * 100) as integer)
        end as fb_coverage,
        case when status is null then null when status = 'completed' then 1 else 0 end
            as fb_completed,
        cast(incidents_before as bigint) as fb_incidents_before,
        cast(incidents_after as bigint) as fb_incidents_after
    from latest
)
select * from final
order by standard_code, year_key, site_id
