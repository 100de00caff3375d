-- What the sidebar filters can offer: every year any source has, and the
-- priority areas, regions, org types and programmes (kind, key, names, order);
-- feedback years from all_feedback (in_view.sql).
with
years as (
    select distinct cast(left(period, 4) as integer) as y from all_feedback
    union select distinct survey_year::integer from survey
    union select distinct fiscal_year::integer from funding
    union select distinct award_year::integer from award_nomination
),
final as (
    select 'year' as kind, y::varchar as key, null as name_zh, null as name_en, y as ord
    from years
    union all
    select 'area', id, name_zh, name_en, ord from priority_area
    union all
    select 'region', code, name_zh, name_en, cast(code as integer) from region
    union all
    select 'org_type', id, name_zh, name_en, 0 from org_type
    union all
    select 'program', program_id, name, name, 0 from pilot_program
)
select * from final
order by kind, ord, key
