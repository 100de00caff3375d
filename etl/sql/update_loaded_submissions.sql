-- A load touches every submission it wrote into (revision: a concurrent
-- transition of the same one conflicts instead of committing unseen) and
-- puts a returned one back to 'submitted' (a resubmission).
update submission s
set revision = s.revision + 1,
    last_upload_at = $at,
    last_sha256 = $sha256,
    status = case when s.status = 'returned' then 'submitted' else s.status end,
    changed_at = case when s.status = 'returned' then $at else s.changed_at end,
    changed_by = case when s.status = 'returned' then $actor else s.changed_by end,
    reason = case when s.status = 'returned' then null else s.reason end
from (select distinct site_id, period from _stdeval_submission_keys) k
where s.site_id = k.site_id and s.period = k.period
