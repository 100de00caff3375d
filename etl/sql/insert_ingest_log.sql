-- One row per received file (DATA_MODEL.md, Operational records).
-- $receipt_seq: the inbox's receipt number (NULL when loaded without the inbox).
insert into ingest_log (
    sha256, source, file_name, uploader, received_at, finished_at,
    rows_read, rows_accepted, rows_rejected, rows_replaced, warnings,
    status, error_summary, receipt_seq
)
values (
    $sha256, $source, $file_name, $uploader, $received_at, $finished_at,
    $rows_read, $rows_accepted, $rows_rejected, $rows_replaced, $warnings,
    $status, $error_summary, $receipt_seq
)
returning ingest_id
