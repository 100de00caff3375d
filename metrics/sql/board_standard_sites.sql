-- Pilot programmes and sites that reported on one standard ($standard_code)
-- within the reader's filters and access scope (feedback_in_view: in_view.sql).
with
final as (
    select f.program_id, p.name as program_name, f.site_id, ps.name as site_name,
           f.region_code, f.org_type, count(*) as feedback_rows,
           avg(f.satisfaction) as mean_satisfaction, max(f.period) as last_period
    from feedback_in_view f
    join pilot_site ps using (site_id)
    left join pilot_program p on p.program_id = f.program_id
    where f.standard_code = $standard_code::varchar
    group by all
)
select * from final
order by program_id, site_id
