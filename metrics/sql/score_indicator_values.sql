-- Indicator values per cell (SCORING.md §1): the mean of the indicator's
-- measures that are present, so that a two-source indicator is the mean of
-- the two source means, or one source alone when the other is empty. An
-- indicator with no present measure has no row: missing, not zero.
-- Import indicator_map(indicator, measure) is registered from the config.
with
measures as (
    select standard_code, year_key, measure, value from score_measure_values
),
indicator_measures as (
    select indicator, measure from indicator_map
),
cells as (
    select standard_code, year_key from score_cells
),
joined as (
    select c.standard_code, c.year_key, i.indicator, m.measure, m.value
    from cells c
    join measures m on m.standard_code = c.standard_code and m.year_key = c.year_key
    join indicator_measures i on i.measure = m.measure
),
final as (
    select
        standard_code, year_key, indicator,
        list_avg(list(value order by measure)) as value,
        count(*) as n_measures
    from joined
    group by standard_code, year_key, indicator
)
select * from final
order by standard_code, year_key, indicator
