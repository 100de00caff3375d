-- Feedback rows and mean satisfaction per reporting period (YYYY-Qn).
with
sites as (
    select site_id from pilot_site
    where $site_ids is null or list_contains($site_ids, site_id)
),
rows_in_scope as (
    select f.period, f.site_id, f.satisfaction
    from feedback f join sites s using (site_id)
),
final as (
    select
        period,
        count(*) as feedback_rows,
        count(distinct site_id) as sites,
        avg(satisfaction) as mean_satisfaction
    from rows_in_scope
    group by period
    order by period
)
select * from final
