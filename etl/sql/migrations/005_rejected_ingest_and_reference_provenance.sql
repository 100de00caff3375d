-- 005: rejected rows name the ingest that wrote them, and the reference
-- tables carry provenance like every other table (DATA_MODEL.md).
--
-- The same bytes may be received more than once (sent with --strict and
-- refused, then sent again and loaded), so sha256 alone does not say which
-- attempt a rejected row belongs to; ingest_id does. Rows stored before
-- this migration get it where that is unambiguous: exactly one ingest of
-- these bytes as this source reported rejected rows. Otherwise they keep
-- a null ingest_id (both attempts wrote rows that can no longer be told apart).

alter table rejected_row add column if not exists ingest_id bigint;

update rejected_row
set ingest_id = only_ingest.ingest_id
from (
    select sha256, source, min(ingest_id) as ingest_id
    from ingest_log
    where rows_rejected > 0
    group by sha256, source
    having count(*) = 1
) as only_ingest
where
    rejected_row.ingest_id is null
    and rejected_row.sha256 = only_ingest.sha256
    and rejected_row.source = only_ingest.source;

-- Reference tables: the sha256 of the shipped CSV a row came from and when
-- it was loaded; `stdeval init` fills them (standard has had them since 001).
alter table priority_area add column if not exists source_sha256 varchar;
alter table priority_area add column if not exists loaded_at timestamp;
alter table region add column if not exists source_sha256 varchar;
alter table region add column if not exists loaded_at timestamp;
alter table org_type add column if not exists source_sha256 varchar;
alter table org_type add column if not exists loaded_at timestamp;
