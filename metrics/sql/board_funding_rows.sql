-- Money by fiscal year, source, purpose and priority area within the
-- reader's filters (funding_in_view: in_view.sql): the one aggregate the
-- Funding page's charts and tables are built from (a Sankey, years ×
-- sources, shares). Money is a programme-wide record: a pilot-site scope
-- and an org-type filter see none.
with
final as (
    select fiscal_year::integer as fiscal_year, source_type, purpose, priority_area,
           coalesce(sum(amount_cny::double) filter (where flow = 'committed'), 0) as committed_cny,
           coalesce(sum(amount_cny::double) filter (where flow = 'disbursed'), 0) as disbursed_cny,
           count(*) as n_records
    from funding_in_view
    group by all
)
select * from final
order by fiscal_year, source_type, purpose, priority_area
