-- Every rejected row of a file, with the row number and column as the user
-- sees them and a message in zh and en. Reads the registered frame
-- `_stdeval_rejected` (row, column, value, rule, message_zh, message_en).
-- $ingest_id: the ingest-log row of this attempt (the same bytes may be
-- received more than once, e.g. refused with --strict, then loaded).
insert into rejected_row (
    sha256, source, ingest_id, row_number, column_name, value, rule, message_zh, message_en
)
select
    $sha256,
    $source,
    $ingest_id,
    "row",
    "column",
    "value",
    rule,
    message_zh,
    message_en
from _stdeval_rejected
