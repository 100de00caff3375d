-- One row per survey respondent and standard, values as integers so that
-- every sum is exact: Likert x as x - 1 (scale 4), aware as 0/1, adoption
-- full 2, partial 1, planned and none 0 (scale 2: full 1, partial 0.5).
with
survey_rows as (
    select * from scope_survey
),
final as (
    select
        standard_code,
        cast(survey_year as varchar) as year_key,
        response_id,
        org_type,
        cast(q_useful - 1 as integer) as sv_q_useful,
        cast(q_usable - 1 as integer) as sv_q_usable,
        cast(q_current - 1 as integer) as sv_q_current,
        cast(q_consistent - 1 as integer) as sv_q_consistent,
        cast(q_testable - 1 as integer) as sv_q_testable,
        cast(q_satisfied - 1 as integer) as sv_q_satisfied,
        case when aware is null then null when aware then 1 else 0 end as sv_aware,
        case adoption
            when 'full' then 2 when 'partial' then 1 when 'planned' then 0 when 'none' then 0
        end as sv_adoption
    from survey_rows
)
select * from final
order by standard_code, year_key, response_id
