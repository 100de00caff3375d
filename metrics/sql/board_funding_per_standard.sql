-- Committed and disbursed money recorded against each standard within the
-- reader's filters (money without a standard is left out).
with
rows_in_view as (
    select m.standard_code, m.flow, cast(m.amount_cny as double) as amount, s.priority_area
    from funding m
    join standard s on s.code = m.standard_code
    where $site_ids::varchar[] is null and $org_types::varchar[] is null
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], m.region_code))
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], m.program_id))
      and ($year_from::integer is null or m.fiscal_year >= $year_from::integer)
      and ($year_to::integer is null or m.fiscal_year <= $year_to::integer)
),
final as (
    select standard_code, priority_area,
           coalesce(sum(amount) filter (where flow = 'committed'), 0) as committed_cny,
           coalesce(sum(amount) filter (where flow = 'disbursed'), 0) as disbursed_cny
    from rows_in_view
    group by all
)
select * from final
order by standard_code
