-- The earlier ingest that loaded these very bytes, if any: the same bytes
-- sent twice are recognised and not loaded again.
-- $sha256: the file's sha256.
with log as (
    select ingest_id, received_at, finished_at, file_name, status
    from ingest_log
    where sha256 = $sha256
),

final as (
    select ingest_id, received_at, finished_at, file_name
    from log
    where status = 'loaded'
    order by ingest_id
    limit 1
)

select * from final
