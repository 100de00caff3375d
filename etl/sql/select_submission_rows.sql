-- The feedback rows of one submission.
with
final as (
    select site_id, standard_code, period, status, coverage_pct, applicability, operability,
        clarity, benefit, satisfaction, incidents_before, incidents_after, cost_cny,
        problems, suggestions, source_sha256, loaded_at
    from feedback
    where site_id = $site_id and period = $period
)
select * from final
order by standard_code
