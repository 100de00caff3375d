-- The files sent for a pilot-site reader's sites, newest first: the reader's
-- own uploads and those of pilot-site accounts bound only to sites the
-- reader holds (a file whose uploader may write other sites too is not
-- theirs to see: its counts would describe other sites' rows).
-- $username: the reader; $site_ids: the reader's sites (NULL: every file).
with
log as (
    select ingest_id, receipt_seq, source, file_name, uploader, received_at,
           finished_at, status, rows_read, rows_accepted, rows_rejected,
           rows_replaced, warnings, sha256, error_summary
    from ingest_log
),
site_uploaders as (
    select username
    from app_user
    where role = 'pilot_site'
      and len(sites) > 0
      and list_has_all($site_ids::varchar[], sites)
),
final as (
    select
        ingest_id, receipt_seq, source, file_name, uploader, received_at,
        finished_at, status, rows_read, rows_accepted, rows_rejected,
        rows_replaced, warnings, sha256,
        json_extract_string(error_summary, '$.rule') as refusal_rule,
        json_extract_string(error_summary, '$.reason_zh') as reason_zh,
        json_extract_string(error_summary, '$.reason_en') as reason_en
    from log
    where $site_ids::varchar[] is null
       or uploader = $username::varchar
       or uploader in (select username from site_uploaders)
)
select * from final
order by received_at desc, ingest_id desc
