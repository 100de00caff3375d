-- Committed and disbursed money recorded against each standard within the
-- reader's filters (funding_in_view: in_view.sql; money without a
-- catalogued standard is left out).
with
final as (
    select standard_code, priority_area,
           coalesce(sum(amount_cny::double) filter (where flow = 'committed'), 0) as committed_cny,
           coalesce(sum(amount_cny::double) filter (where flow = 'disbursed'), 0) as disbursed_cny
    from funding_in_view
    where in_catalogue
    group by all
)
select * from final
order by standard_code
