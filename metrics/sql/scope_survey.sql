-- Survey responses in scope: standards of scope_standard, the scope's
-- survey_year and the respondents' regions.
with
survey_rows as (
    select
        response_id, survey_year, region_code, org_type, standard_code, aware,
        adoption, q_useful, q_usable, q_current, q_consistent, q_testable, q_satisfied
    from survey
),
standards as (
    select standard_code from scope_standard
),
final as (
    select *
    from survey_rows
    where standard_code in (select standard_code from standards)
      and ($year::integer is null or survey_year = $year::integer)
      and ($region_codes::varchar[] is null
           or list_contains($region_codes::varchar[], region_code))
)
select * from final
