-- A load creates the submissions of the site × periods it wrote that have none.
insert into submission (
    site_id, period, status, created_at, changed_at, changed_by, reason,
    last_upload_at, last_sha256
)
with
wanted as (
    select distinct site_id, period from _stdeval_submission_keys
),
final as (
    select w.site_id, w.period, 'submitted', $at, $at, $actor, null, $at, $sha256
    from wanted w
    anti join submission s on s.site_id = w.site_id and s.period = w.period
)
select * from final
