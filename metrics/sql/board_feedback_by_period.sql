-- Feedback rows, reporting sites and mean satisfaction per reporting period
-- within the reader's filters and access scope (feedback_in_view: in_view.sql).
with
final as (
    select period, count(*) as feedback_rows, count(distinct site_id) as sites,
           avg(satisfaction) as mean_satisfaction
    from feedback_in_view
    group by period
)
select * from final
order by period
