-- An evaluator's transition of the submissions in _stdeval_transitions.
update submission s
set status = t.to_status,
    revision = s.revision + 1,
    changed_at = $at,
    changed_by = $actor,
    reason = $reason
from _stdeval_transitions t
where s.site_id = t.site_id and s.period = t.period and s.status = t.from_status
