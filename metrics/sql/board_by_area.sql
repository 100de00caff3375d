-- The 13 priority areas of §7 (and unmapped standards, null id): standards,
-- feedback, programmes, sites, survey adoption and money within the
-- reader's filters and access scope (the *_in_view rows: in_view.sql),
-- counting rows of catalogued standards.
with
fb as (
    select priority_area as area_id, count(*) as feedback_rows,
           count(distinct standard_code) as standards_with_feedback,
           count(distinct program_id) as programs, count(distinct site_id) as sites,
           avg(satisfaction) as mean_satisfaction
    from feedback_in_view
    where in_catalogue
    group by all
),
sv as (
    select priority_area as area_id, count(*) as survey_rows,
           avg(case when adoption in ('partial', 'full') then 1.0 else 0.0 end) as adoption_rate
    from survey_in_view
    where in_catalogue
    group by all
),
money as (
    select priority_area as area_id,
           sum(amount_cny) filter (where flow = 'committed')::double as committed_cny,
           sum(amount_cny) filter (where flow = 'disbursed')::double as disbursed_cny
    from funding_in_view
    where in_catalogue
    group by all
),
catalogue as (
    select priority_area as area_id, count(*) as standards from standard group by all
),
areas as (
    select id as area_id, name_zh, name_en, ord from priority_area
    union all
    select null, null, null, 99 where exists (select 1 from standard where priority_area is null)
),
final as (
    select
        a.area_id, a.name_zh, a.name_en, a.ord,
        coalesce(c.standards, 0) as standards,
        coalesce(fb.standards_with_feedback, 0) as standards_with_feedback,
        coalesce(fb.feedback_rows, 0) as feedback_rows,
        coalesce(fb.programs, 0) as programs,
        coalesce(fb.sites, 0) as sites,
        fb.mean_satisfaction,
        coalesce(sv.survey_rows, 0) as survey_rows,
        sv.adoption_rate,
        coalesce(money.committed_cny, 0) as committed_cny,
        coalesce(money.disbursed_cny, 0) as disbursed_cny
    from areas a
    left join catalogue c on c.area_id is not distinct from a.area_id
    left join fb on fb.area_id is not distinct from a.area_id
    left join sv on sv.area_id is not distinct from a.area_id
    left join money on money.area_id is not distinct from a.area_id
    where $priority_area::varchar is null or a.area_id = $priority_area::varchar
)
select * from final
order by ord
