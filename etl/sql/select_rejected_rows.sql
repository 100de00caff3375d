-- The rejected rows recorded by one ingest, in file order (used to finish
-- an inbox entry whose load committed before a crash). By ingest_id, not
-- sha256: the same bytes received twice (refused with --strict, then
-- loaded) have two sets of errors, and only this attempt's are its own.
-- $ingest_id: the ingest-log row of the attempt.
with rejected as (
    select row_number, column_name, value, rule, message_zh, message_en
    from rejected_row
    where ingest_id = $ingest_id
),

final as (
    select * from rejected
    order by row_number nulls first, column_name
)

select * from final
