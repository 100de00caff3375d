-- The submissions of the site × periods in _stdeval_submission_keys, with
-- their status (NULL: no submission yet).
with
wanted as (
    select distinct site_id, period from _stdeval_submission_keys
),
final as (
    select w.site_id, w.period, s.status
    from wanted w
    left join submission s on s.site_id = w.site_id and s.period = w.period
)
select * from final
order by period, site_id
