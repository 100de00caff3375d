-- The value of every measure per cell (SCORING.md §1 "rules for values").
-- A mean measure is Σ value / (scale · n) over the units that answered, so
-- a Likert answer x counts as (x - 1)/4 and nothing absent counts as zero.
-- The incident reduction is 1 - Σ after / Σ before over sites that gave
-- both, clipped to [0, 1], and missing when Σ before is 0. The age score is
-- 1 up to full_years after publication, falling linearly to 0 at
-- zero_years. With post-stratification, a survey measure is the mean of the
-- org_type means weighted by the population shares of the org types present.
-- Imports measure_map(unit_column, measure, scale) and
-- population_share(org_type, share) are registered by metrics.indicators.
with
measure_columns as (
    select unit_column, measure, scale from measure_map
),
shares as (
    select org_type, share from population_share
),
feedback_long as (
    select standard_code, year_key, unit_column, unit_value
    from (
        unpivot (
            select
                standard_code, year_key, fb_applicability, fb_operability, fb_clarity,
                fb_benefit, fb_satisfaction, fb_coverage, fb_completed
            from score_feedback_units
        )
        on fb_applicability, fb_operability, fb_clarity, fb_benefit, fb_satisfaction,
           fb_coverage, fb_completed
        into name unit_column value unit_value
    )
),
survey_rows as (
    select * from score_survey_units
    union all
    select * replace ('overall' as year_key) from score_survey_units where $with_overall
),
survey_long as (
    select standard_code, year_key, org_type, unit_column, unit_value
    from (
        unpivot (
            select
                standard_code, year_key, org_type, sv_q_useful, sv_q_usable, sv_q_current,
                sv_q_consistent, sv_q_testable, sv_q_satisfied, sv_aware, sv_adoption
            from survey_rows
        )
        on sv_q_useful, sv_q_usable, sv_q_current, sv_q_consistent, sv_q_testable,
           sv_q_satisfied, sv_aware, sv_adoption
        into name unit_column value unit_value
    )
),
feedback_means as (
    select
        l.standard_code, l.year_key, m.measure,
        sum(l.unit_value) / (m.scale * count(*)) as value,
        count(*) as n
    from feedback_long l
    join measure_columns m on m.unit_column = l.unit_column
    group by l.standard_code, l.year_key, m.measure, m.scale
),
incident_sums as (
    select
        standard_code, year_key,
        sum(fb_incidents_before) as before_total,
        sum(fb_incidents_after) as after_total,
        count(*) as n
    from score_feedback_units
    where fb_incidents_before is not null and fb_incidents_after is not null
    group by standard_code, year_key
),
incident_means as (
    select
        standard_code, year_key, 'feedback.incident_reduction' as measure,
        greatest(0.0, least(1.0, 1.0 - after_total / before_total)) as value,
        n
    from incident_sums
    where before_total > 0
),
survey_groups as (
    select
        l.standard_code, l.year_key, m.measure, m.scale, l.org_type,
        sum(l.unit_value) as total,
        count(*) as n
    from survey_long l
    join measure_columns m on m.unit_column = l.unit_column
    group by l.standard_code, l.year_key, m.measure, m.scale, l.org_type
),
survey_plain as (
    select standard_code, year_key, measure, sum(total) / (scale * sum(n)) as value, sum(n) as n
    from survey_groups
    where not $poststratify
    group by standard_code, year_key, measure, scale
),
survey_stratified as (
    select
        g.standard_code, g.year_key, g.measure,
        list_sum(list(p.share * (g.total / (g.scale * g.n)) order by g.org_type))
            / list_sum(list(p.share order by g.org_type)) as value,
        sum(g.n) as n
    from survey_groups g
    join shares p on p.org_type = g.org_type
    where $poststratify and p.share > 0
    group by g.standard_code, g.year_key, g.measure
),
age_scores as (
    select
        standard_code, year_key, 'standard.age' as measure,
        greatest(0.0, least(1.0,
            ($zero_years - datediff('day', published_on, reference_date) / 365.25)
            / ($zero_years - $full_years)
        )) as value,
        1 as n
    from score_cells
    where published_on is not null
),
final as (
    select standard_code, year_key, measure, value, cast(n as bigint) as n from feedback_means
    union all
    select standard_code, year_key, measure, value, cast(n as bigint) from incident_means
    union all
    select standard_code, year_key, measure, value, cast(n as bigint) from survey_plain
    union all
    select standard_code, year_key, measure, value, cast(n as bigint) from survey_stratified
    union all
    select standard_code, year_key, measure, value, cast(n as bigint) from age_scores
)
select * from final
order by standard_code, year_key, measure
