-- The cells scored: one per standard and year with any evidence, plus
-- 'overall' (all years in scope pooled) when asked. Evidence counts
-- (SCORING.md §3): distinct pilot sites that reported, survey responses.
-- The age of A3 is taken on 31 December of the cell's year; for 'overall',
-- of the last year in scope that has evidence.
with
feedback_cells as (
    select standard_code, year_key, count(*) as n_sites
    from score_feedback_units
    group by standard_code, year_key
),
survey_years as (
    select standard_code, year_key, count(*) as n_responses
    from score_survey_units
    group by standard_code, year_key
),
survey_cells as (
    select * from survey_years
    union all
    select standard_code, 'overall' as year_key, sum(n_responses) as n_responses
    from survey_years
    where $with_overall
    group by standard_code
),
cell_keys as (
    select standard_code, year_key from feedback_cells
    union
    select standard_code, year_key from survey_cells
),
last_year as (
    select max(cast(year_key as integer)) as year
    from cell_keys
    where year_key <> 'overall'
),
standards as (
    select standard_code, priority_area, published_on from scope_standard
),
final as (
    select
        k.standard_code,
        k.year_key,
        cast(coalesce(f.n_sites, 0) as integer) as n_sites,
        cast(coalesce(s.n_responses, 0) as integer) as n_responses,
        st.priority_area,
        st.published_on,
        make_date(
            case when k.year_key = 'overall' then ly.year else cast(k.year_key as integer) end,
            12, 31
        ) as reference_date
    from cell_keys k
    cross join last_year ly
    left join feedback_cells f on f.standard_code = k.standard_code and f.year_key = k.year_key
    left join survey_cells s on s.standard_code = k.standard_code and s.year_key = k.year_key
    left join standards st on st.standard_code = k.standard_code
)
select * from final
order by standard_code, year_key
