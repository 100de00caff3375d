-- The 34 province-level regions: pilot sites, feedback, survey adoption,
-- mean satisfaction and money within the reader's filters and access scope
-- (the *_in_view rows: in_view.sql).
with
fb as (
    select region_code, count(*) as feedback_rows, count(distinct site_id) as sites,
           avg(satisfaction) as mean_satisfaction
    from feedback_in_view
    group by all
),
sv as (
    select region_code, count(*) as survey_rows,
           avg(case when adoption in ('partial', 'full') then 1.0 else 0.0 end) as adoption_rate
    from survey_in_view
    group by all
),
money as (
    select region_code,
           sum(amount_cny) filter (where flow = 'committed')::double as committed_cny,
           sum(amount_cny) filter (where flow = 'disbursed')::double as disbursed_cny
    from funding_in_view
    group by all
),
final as (
    select
        r.code as region_code, r.name_zh, r.name_en,
        coalesce(fb.sites, 0) as sites,
        coalesce(fb.feedback_rows, 0) as feedback_rows,
        fb.mean_satisfaction,
        coalesce(sv.survey_rows, 0) as survey_rows,
        sv.adoption_rate,
        coalesce(money.committed_cny, 0) as committed_cny,
        coalesce(money.disbursed_cny, 0) as disbursed_cny
    from region r
    left join fb on fb.region_code = r.code
    left join sv on sv.region_code = r.code
    left join money on money.region_code = r.code
    where $region_codes::varchar[] is null or list_contains($region_codes::varchar[], r.code)
)
select * from final
order by region_code
