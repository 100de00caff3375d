-- Staging of the dashboard (not a query of its own): the rows within a
-- reader's filters ($year_from … $program_ids) and access scope ($site_ids),
-- defined once. metrics.queries.in_view_sql puts these CTEs in front of
-- every board_*.sql, which read them instead of the tables:
--   all_feedback      every feedback row the dashboard counts (the ONE
--                     place it reads feedback: the view counted_feedback,
--                     approved submissions unless count_unapproved is on)
--   sites_in_view     pilot sites within scope, regions, org types, programmes
--   feedback_in_view  feedback of those sites within the years and the
--                     priority area, with the year, site and area columns
--   survey_in_view    survey responses within regions, org types, years and
--                     the area (programme-wide: a site scope or a programme
--                     filter sees none)
--   funding_in_view   money within regions, programmes, years and the area
--                     (programme-wide: a site scope or an org-type filter
--                     sees none)
-- in_catalogue says whether the row's standard is in the catalogue (some
-- figures count catalogued standards only); priority_area is null for a
-- standard without one (or money without a standard).
all_feedback as (
    select * from counted_feedback
),
sites_in_view as (
    select site_id, program_id, region_code, org_type
    from pilot_site
    where ($site_ids::varchar[] is null or list_contains($site_ids::varchar[], site_id))
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], region_code))
      and ($org_types::varchar[] is null or list_contains($org_types::varchar[], org_type))
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], program_id))
),
feedback_in_view as (
    select f.*, cast(left(f.period, 4) as integer) as year,
           st.program_id, st.region_code, st.org_type,
           s.priority_area, s.code is not null as in_catalogue
    from all_feedback f
    join sites_in_view st using (site_id)
    left join standard s on s.code = f.standard_code
    where ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($year_from::integer is null or cast(left(f.period, 4) as integer) >= $year_from::integer)
      and ($year_to::integer is null or cast(left(f.period, 4) as integer) <= $year_to::integer)
),
survey_in_view as (
    select v.*, s.priority_area, s.code is not null as in_catalogue
    from survey v
    left join standard s on s.code = v.standard_code
    where $site_ids::varchar[] is null and $program_ids::varchar[] is null
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], v.region_code))
      and ($org_types::varchar[] is null or list_contains($org_types::varchar[], v.org_type))
      and ($year_from::integer is null or v.survey_year >= $year_from::integer)
      and ($year_to::integer is null or v.survey_year <= $year_to::integer)
),
funding_in_view as (
    select m.*, s.priority_area, s.code is not null as in_catalogue
    from funding m
    left join standard s on s.code = m.standard_code
    where $site_ids::varchar[] is null and $org_types::varchar[] is null
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($region_codes::varchar[] is null or list_contains($region_codes::varchar[], m.region_code))
      and ($program_ids::varchar[] is null or list_contains($program_ids::varchar[], m.program_id))
      and ($year_from::integer is null or m.fiscal_year >= $year_from::integer)
      and ($year_to::integer is null or m.fiscal_year <= $year_to::integer)
)
