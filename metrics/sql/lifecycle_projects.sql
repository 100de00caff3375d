-- Standard projects against the 2-year cycle of §9: days from approval
-- (立项) to publication, whether that is within cycle_days, and projects
-- still open past the limit on the as_of date.
with
projects as (
    select
        l.project_id, l.plan_no, l.title, l.approved, l.published, l.published_code
    from lifecycle l
    left join standard s on s.code = l.published_code
    where ($year::integer is null or year(l.approved) = $year::integer)
      and ($standard_codes::varchar[] is null
           or list_contains($standard_codes::varchar[], l.published_code))
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
),
final as (
    select
        project_id, plan_no, title, approved, published, published_code,
        published is not null as is_published,
        case when published is not null then datediff('day', approved, published) end
            as days_to_publication,
        case when published is not null then datediff('day', approved, published) <= $cycle_days end
            as within_cycle,
        case when published is null then datediff('day', approved, $as_of::date) end as days_open,
        published is null and datediff('day', approved, $as_of::date) > $cycle_days
            as open_past_limit
    from projects
    where approved is not null
)
select * from final
order by project_id
