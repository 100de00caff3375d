-- One row per received file (DATA_MODEL.md, Operational records).
insert into ingest_log (
    sha256, source, file_name, uploader, received_at, finished_at,
    rows_read, rows_accepted, rows_rejected, rows_replaced, warnings,
    status, error_summary
)
values (
    $sha256, $source, $file_name, $uploader, $received_at, $finished_at,
    $rows_read, $rows_accepted, $rows_rejected, $rows_replaced, $warnings,
    $status, $error_summary
)
returning ingest_id
