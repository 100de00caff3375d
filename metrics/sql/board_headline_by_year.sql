-- Headline figures per year within the reader's filters and access scope
-- (the *_in_view rows: in_view.sql): feedback rows and reporting sites
-- (year of the period) and surveys (survey_year) of catalogued standards,
-- committed and disbursed money (fiscal_year). A pilot-site scope
-- ($site_ids set) sees its own feedback only: surveys and money are
-- programme-wide records.
with
fb as (
    select year, count(*) as feedback_rows,
           count(distinct site_id) as sites_reporting,
           count(distinct standard_code) as standards_with_feedback,
           avg(satisfaction) as mean_satisfaction
    from feedback_in_view
    where in_catalogue
    group by all
),
sv as (
    select survey_year::integer as year, count(*) as survey_rows,
           avg(case when adoption in ('partial', 'full') then 1.0 else 0.0 end) as adoption_rate
    from survey_in_view
    where in_catalogue
    group by all
),
money as (
    select fiscal_year::integer as year,
           sum(amount_cny) filter (where flow = 'committed')::double as committed_cny,
           sum(amount_cny) filter (where flow = 'disbursed')::double as disbursed_cny
    from funding_in_view
    group by all
),
years as (
    select year from fb union select year from sv union select year from money
),
final as (
    select
        y.year,
        coalesce(fb.feedback_rows, 0) as feedback_rows,
        coalesce(fb.sites_reporting, 0) as sites_reporting,
        coalesce(fb.standards_with_feedback, 0) as standards_with_feedback,
        fb.mean_satisfaction,
        coalesce(sv.survey_rows, 0) as survey_rows,
        sv.adoption_rate,
        coalesce(money.committed_cny, 0) as committed_cny,
        coalesce(money.disbursed_cny, 0) as disbursed_cny
    from years y
    left join fb using (year)
    left join sv using (year)
    left join money using (year)
)
select * from final
order by year
