-- The ingest log row written for one receipt of a file: lets the inbox
-- finish an entry whose load committed just before a crash instead of
-- loading it twice. The receipt is its sequence number ($receipt_seq); an
-- entry queued by an older stdeval has none and is found by the moment it
-- was received ($received_at).
with log as (
    select *
    from ingest_log
    where sha256 = $sha256
      and (
          receipt_seq = $receipt_seq
          or ($receipt_seq is null and received_at = $received_at)
      )
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
