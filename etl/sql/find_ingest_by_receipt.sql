-- The ingest log row written for one receipt of a file (sha256 and the
-- moment it was received): lets the inbox finish an entry whose load
-- committed just before a crash instead of loading it twice.
with log as (
    select *
    from ingest_log
    where sha256 = $sha256 and received_at = $received_at
),

final as (
    select
        ingest_id, source, file_name, status,
        rows_read, rows_accepted, rows_rejected, rows_replaced, warnings,
        error_summary
    from log
    order by ingest_id desc
    limit 1
)

select * from final
