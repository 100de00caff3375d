-- Feedback rows, reporting sites and mean satisfaction per reporting period
-- within the reader's filters and access scope.
with
sites as (
    select site_id from pilot_site
    where ($site_ids::varchar[] is null or list_contains($site_ids::varchar[], site_id))
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], region_code))
      and ($org_types::varchar[] is null or list_contains($org_types::varchar[], org_type))
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], program_id))
),
rows_in_view as (
    select f.period, f.site_id, f.satisfaction
    from feedback f
    join sites using (site_id)
    left join standard s on s.code = f.standard_code
    where ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($year_from::integer is null or cast(left(f.period, 4) as integer) >= $year_from::integer)
      and ($year_to::integer is null or cast(left(f.period, 4) as integer) <= $year_to::integer)
),
final as (
    select period, count(*) as feedback_rows, count(distinct site_id) as sites,
           avg(satisfaction) as mean_satisfaction
    from rows_in_view
    group by period
)
select * from final
order by period
