-- Receipt order (issue 9): every file sent through the inbox carries the
-- sequence number it was given when its bytes were landed, and the writer
-- applies a warehouse's files strictly in that order. The ingest log keeps
-- the number, so the order of the loads can be checked against the order of
-- receipt, and an entry whose load committed just before a crash is
-- recognised by it. NULL: loaded without the inbox (demo, older versions).
alter table ingest_log add column if not exists receipt_seq bigint;
