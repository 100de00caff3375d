-- Standards, feedback and survey responses per priority area of §7;
-- standards no keyword rule maps form their own row with a null id and null
-- names (the page labels it in its language).
with
sites as (
    select site_id from pilot_site
    where $site_ids is null or list_contains($site_ids, site_id)
),
feedback_per_standard as (
    select f.standard_code, count(*) as feedback_rows
    from feedback f join sites s using (site_id)
    group by f.standard_code
),
survey_per_standard as (
    select standard_code, count(*) as survey_rows
    from survey
    where $site_ids is null
    group by standard_code
),
per_area as (
    select
        st.priority_area as area_id,
        count(*) as standards,
        coalesce(sum(fb.feedback_rows), 0)::bigint as feedback_rows,
        coalesce(sum(sv.survey_rows), 0)::bigint as survey_rows
    from standard st
    left join feedback_per_standard fb on fb.standard_code = st.code
    left join survey_per_standard sv on sv.standard_code = st.code
    group by st.priority_area
),
final as (
    select
        pa.id as area_id, pa.name_zh, pa.name_en, pa.ord,
        coalesce(p.standards, 0) as standards,
        coalesce(p.feedback_rows, 0) as feedback_rows,
        coalesce(p.survey_rows, 0) as survey_rows
    from priority_area pa
    left join per_area p on p.area_id = pa.id
    union all
    select null, null, null, 99, p.standards, p.feedback_rows, p.survey_rows
    from per_area p where p.area_id is null
    order by ord
)
select * from final
