-- The latest ingest that loaded these very bytes, if any, with the rows it
-- accepted: the same bytes sent twice are recognised and not loaded again
-- while those rows are still in effect (etl.ingest_log.find_loaded).
-- $sha256: the file's sha256.
with log as (
    select ingest_id, received_at, finished_at, file_name, status, rows_accepted
    from ingest_log
    where sha256 = $sha256
),

final as (
    select ingest_id, received_at, finished_at, file_name, rows_accepted
    from log
    where status = 'loaded'
    order by ingest_id desc
    limit 1
)

select * from final
