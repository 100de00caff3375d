-- The transitions of one submission, oldest first.
with
final as (
    select history_id, changed_at, actor, from_status, to_status, reason, sha256
    from submission_history
    where site_id = $site_id and period = $period
)
select * from final
order by history_id
