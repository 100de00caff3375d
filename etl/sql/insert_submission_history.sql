-- One history row per transition of _stdeval_transitions
-- (site_id, period, from_status, to_status).
insert into submission_history (
    site_id, period, from_status, to_status, actor, changed_at, reason, sha256
)
with
final as (
    select t.site_id, t.period, t.from_status, t.to_status, $actor, $at, $reason, $sha256
    from _stdeval_transitions t
)
select * from final
