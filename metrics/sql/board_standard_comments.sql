-- Problems and suggestions written about one standard ($standard_code),
-- each distinct text with how often it was sent, within the reader's
-- filters and access scope (free text is grouped into themes in Python).
with
rows_in_view as (
    select f.problems, f.suggestions
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
texts as (
    select 'problem' as kind, trim(problems) as text from rows_in_view
    where nullif(trim(problems), '') is not null
    union all
    select 'suggestion', trim(suggestions) from rows_in_view
    where nullif(trim(suggestions), '') is not null
),
final as (
    select kind, text, count(*) as n from texts group by all
)
select * from final
order by kind, n desc, text
