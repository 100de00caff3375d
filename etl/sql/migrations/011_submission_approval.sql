-- Approval of submissions (issue 13, point 5).
--
-- submission: one row per site × period of feedback (the unit a pilot site
-- sends and an evaluator approves). status is 'submitted' (waiting for an
-- evaluator), 'approved' (counted, and locked against uploads until an
-- evaluator reopens it) or 'returned' (sent back with a reason; the next
-- upload for it makes it 'submitted' again). changed_at/changed_by/reason
-- describe the last transition; last_upload_at/last_sha256 the last file
-- that wrote rows into it. revision is bumped by every load into it and by
-- every transition: DuckDB refuses one of two transactions that update the
-- same column of a row, so a load and an approval of the same submission
-- can never both commit unseen.
create table if not exists submission (
    site_id varchar not null,
    period varchar not null,
    status varchar not null check (status in ('submitted', 'approved', 'returned')),
    created_at timestamp not null,
    changed_at timestamp not null,
    changed_by varchar not null,
    reason varchar,
    last_upload_at timestamp,
    last_sha256 varchar,
    revision bigint not null default 0,
    primary key (site_id, period)
);

-- submission_history: every transition, in order (from_status is NULL when
-- a load created the submission). Nothing updates or deletes these rows.
create sequence if not exists submission_history_id start 1;
create table if not exists submission_history (
    history_id bigint primary key default nextval('submission_history_id'),
    site_id varchar not null,
    period varchar not null,
    from_status varchar,
    to_status varchar not null,
    actor varchar not null,
    changed_at timestamp not null,
    reason varchar,
    sha256 varchar
);

-- app_setting: settings kept in the warehouse, so the dashboard, the writer
-- and the command line always agree. count_unapproved: whether feedback of
-- submissions not (yet) approved counts in scores and dashboards.
create table if not exists app_setting (
    name varchar primary key,
    value varchar not null,
    changed_at timestamp not null,
    changed_by varchar not null
);
insert into app_setting (name, value, changed_at, changed_by)
values ('count_unapproved', 'false', cast(timezone('UTC', current_timestamp) as timestamp), 'system')
on conflict do nothing;

-- The feedback that counts: rows of approved submissions, or every row when
-- the setting says unapproved data counts. Scoring reads this view.
create or replace view counted_feedback as
select f.*
from feedback f
where coalesce(
        (select s.value = 'true' from app_setting s where s.name = 'count_unapproved'), false)
   or exists (
        select 1 from submission m
        where m.site_id = f.site_id and m.period = f.period and m.status = 'approved');

-- An upgraded warehouse: feedback loaded before the workflow existed was
-- accepted then, so its site × periods are recorded as approved by the
-- system actor, each with a history row saying why, and one audit row.
insert into submission (site_id, period, status, created_at, changed_at, changed_by, reason)
select distinct site_id, period, 'approved',
    cast(timezone('UTC', current_timestamp) as timestamp),
    cast(timezone('UTC', current_timestamp) as timestamp),
    'system', '升级前已导入，视为已审核 / loaded before the approval workflow existed'
from feedback
on conflict do nothing;

insert into submission_history (site_id, period, from_status, to_status, actor, changed_at, reason)
select site_id, period, null, 'approved', 'system', changed_at, reason
from submission
where changed_by = 'system';

insert into audit_log (event_at, actor, action, target, detail)
select cast(timezone('UTC', current_timestamp) as timestamp), 'system', 'approval',
    'migration 011', cast(to_json({'approved_on_upgrade': count(*)}) as varchar)
from submission
where changed_by = 'system'
having count(*) > 0;
