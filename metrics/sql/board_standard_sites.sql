-- Pilot programmes and sites that reported on one standard ($standard_code)
-- within the reader's filters and access scope.
with
rows_in_view as (
    select f.site_id, f.period, f.satisfaction, ps.program_id, ps.name as site_name,
           ps.region_code, ps.org_type
    from feedback f
    join pilot_site ps using (site_id)
    where f.standard_code = $standard_code::varchar
      and ($site_ids::varchar[] is null or list_contains($site_ids::varchar[], f.site_id))
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], ps.region_code))
      and ($org_types::varchar[] is null or list_contains($org_types::varchar[], ps.org_type))
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], ps.program_id))
      and ($year_from::integer is null or cast(left(f.period, 4) as integer) >= $year_from::integer)
      and ($year_to::integer is null or cast(left(f.period, 4) as integer) <= $year_to::integer)
),
final as (
    select r.program_id, p.name as program_name, r.site_id, r.site_name, r.region_code,
           r.org_type, count(*) as feedback_rows, avg(r.satisfaction) as mean_satisfaction,
           max(r.period) as last_period
    from rows_in_view r
    left join pilot_program p using (program_id)
    group by all
)
select * from final
order by program_id, site_id
