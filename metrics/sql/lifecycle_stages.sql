-- Stage durations against the national stage limits of §10 (立项 ≤ 3
-- months, 起草 ≤ 10 months, 征求意见 ≤ 2 months by default): a stage runs
-- from its start milestone to its end milestone; its due date is the start
-- plus the limit in calendar months. A stage started but not ended is open
-- and measured to the as_of date. Import lifecycle_stage(stage, name_zh,
-- start_milestone, end_milestone, months) is registered from the config.
with
projects as (
    select l.project_id, l.approved, l.draft, l.consultation, l.review, l.approval, l.published
    from lifecycle l
    left join standard s on s.code = l.published_code
    where ($year::integer is null or year(l.approved) = $year::integer)
      and ($standard_codes::varchar[] is null
           or list_contains($standard_codes::varchar[], l.published_code))
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
),
milestones as (
    select
        project_id, milestone, on_date,
        case milestone
            when 'approved' then 1 when 'draft' then 2 when 'consultation' then 3
            when 'review' then 4 when 'approval' then 5 when 'published' then 6
        end as ordinal
    from (
        unpivot projects
        on approved, draft, consultation, review, approval, published
        into name milestone value on_date
    )
),
reached as (
    select project_id, max(ordinal) as last_ordinal from milestones group by project_id
),
limits as (
    select stage, name_zh, start_milestone, end_milestone, months from lifecycle_stage
),
stages as (
    select
        r.project_id, l.stage, l.name_zh, l.months,
        s.on_date as started, e.on_date as ended,
        cast(s.on_date + to_months(cast(l.months as integer)) as date) as due,
        r.last_ordinal,
        case l.end_milestone
            when 'approved' then 1 when 'draft' then 2 when 'consultation' then 3
            when 'review' then 4 when 'approval' then 5 when 'published' then 6
        end as end_ordinal
    from reached r
    cross join limits l
    join milestones s on s.project_id = r.project_id and s.milestone = l.start_milestone
    left join milestones e on e.project_id = r.project_id and e.milestone = l.end_milestone
),
final as (
    select
        project_id, stage, name_zh, months, started, ended, due,
        ended is null as is_open,
        datediff('day', started, coalesce(ended, $as_of::date)) as days,
        coalesce(ended, $as_of::date) > due as over_limit
    from stages
    -- an end milestone left blank while a later one is filled: the stage's
    -- length is unknown, so it is not counted (neither open nor closed)
    where ended is not null or last_ordinal < end_ordinal
)
select * from final
order by project_id, started, stage
