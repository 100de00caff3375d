-- One audit row (DATA_MODEL.md, Operational records): who did what to what.
insert into audit_log (event_at, actor, action, target, detail)
values ($event_at, $actor, $action, $target, $detail)
returning audit_id
