-- The rejected rows recorded for one file, in file order (used to finish
-- an inbox entry whose load committed before a crash).
with rejected as (
    select distinct row_number, column_name, value, rule, message_zh, message_en
    from rejected_row
    where sha256 = $sha256
),

final as (
    select * from rejected
    order by row_number nulls first, column_name
)

select * from final
