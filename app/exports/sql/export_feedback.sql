-- Every feedback row the reader may see: a pilot-site account only its own
-- sites' rows ($site_ids), everyone else every row. No row cap.
with
rows_in_scope as (
    select f.*
    from feedback f
    where $site_ids::varchar[] is null or list_contains($site_ids::varchar[], f.site_id)
),
final as (
    select site_id, standard_code, period, status, coverage_pct, applicability, operability,
           clarity, benefit, satisfaction, incidents_before, incidents_after,
           cast(cost_cny as double) as cost_cny, problems, suggestions, source_sha256, loaded_at
    from rows_in_scope
)
select * from final
order by site_id, standard_code, period
