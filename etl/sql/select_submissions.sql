-- Every submission within an access scope ($site_ids NULL: all), with its
-- site, programme and the feedback rows it holds.
with
rows_per_submission as (
    select site_id, period, count(*) as n_rows, count(distinct standard_code) as n_standards
    from feedback
    group by site_id, period
),
final as (
    select
        s.site_id,
        p.name as site_name,
        p.program_id,
        g.name as program_name,
        s.period,
        coalesce(r.n_rows, 0) as n_rows,
        coalesce(r.n_standards, 0) as n_standards,
        s.status,
        s.changed_at,
        s.changed_by,
        s.reason,
        s.created_at,
        s.last_upload_at
    from submission s
    left join rows_per_submission r on r.site_id = s.site_id and r.period = s.period
    left join pilot_site p on p.site_id = s.site_id
    left join pilot_program g on g.program_id = p.program_id
    where $site_ids::varchar[] is null or list_contains($site_ids::varchar[], s.site_id)
)
select * from final
order by period desc, site_id
