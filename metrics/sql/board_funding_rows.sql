-- Money by fiscal year, source, purpose and priority area within the
-- reader's filters: the one aggregate the Funding page's charts and tables
-- are built from (a Sankey, years × sources, shares). Money is a
-- programme-wide record: a pilot-site scope and an org-type filter see none.
with
rows_in_view as (
    select m.fiscal_year::integer as fiscal_year, m.source_type, m.purpose, m.flow,
           s.priority_area, cast(m.amount_cny as double) as amount
    from funding m
    left join standard s on s.code = m.standard_code
    where $site_ids::varchar[] is null and $org_types::varchar[] is null
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], m.region_code))
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], m.program_id))
      and ($year_from::integer is null or m.fiscal_year >= $year_from::integer)
      and ($year_to::integer is null or m.fiscal_year <= $year_to::integer)
),
final as (
    select fiscal_year, source_type, purpose, priority_area,
           coalesce(sum(amount) filter (where flow = 'committed'), 0) as committed_cny,
           coalesce(sum(amount) filter (where flow = 'disbursed'), 0) as disbursed_cny,
           count(*) as n_records
    from rows_in_view
    group by all
)
select * from final
order by fiscal_year, source_type, purpose, priority_area
