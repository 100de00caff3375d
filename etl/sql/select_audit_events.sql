-- The audit log, newest first, filtered by actor, action and time; a NULL
-- filter lets every row through.
with events as (
    select audit_id, event_at, actor, action, target, detail from audit_log
),

final as (
    select *
    from events
    where ($actors is null or list_contains($actors, actor))
      and ($actions is null or list_contains($actions, action))
      and ($since is null or event_at >= $since)
      and ($until is null or event_at < $until)
    order by event_at desc, audit_id desc nulls last
)

select * from final
