-- Every funding record, for readers of the whole programme. Money is a
-- programme-wide record: a pilot-site scope ($site_ids set) sees none.
with
rows_in_scope as (
    select m.*
    from funding m
    where $site_ids::varchar[] is null
),
final as (
    select record_id, fiscal_year, source_type, funder, recipient, purpose, flow,
           cast(amount_cny as double) as amount_cny, date, standard_code, program_id,
           region_code, source_sha256, loaded_at
    from rows_in_scope
)
select * from final
order by fiscal_year, record_id
