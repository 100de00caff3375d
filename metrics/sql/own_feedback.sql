-- A pilot-site reader's own feedback per site x standard, beside the
-- national benchmark of that standard computed over every site. Both count
-- the feedback that counts (counted_feedback: approved submissions unless
-- the warehouse setting count_unapproved is on), as every dashboard does.
-- Only aggregates of other sites leave this query (the national mean, the
-- site's percentile, how many other sites report): never their ids or rows,
-- and no benchmark at all when fewer than $min_others other sites report.
-- $site_ids: the reader's sites (varchar[]; NULL: every site);
-- $year: one year of the periods (NULL: every year);
-- $min_others: fewest other sites a benchmark is computed from.
with
feedback_rows as (
    select site_id, standard_code, applicability, operability, clarity, benefit,
           satisfaction
    from counted_feedback
    where $year::integer is null or cast(left(period, 4) as integer) = $year::integer
),
per_site as (
    select site_id, standard_code, count(*) as responses,
           avg(applicability) as applicability, avg(operability) as operability,
           avg(clarity) as clarity, avg(benefit) as benefit,
           avg(satisfaction) as satisfaction
    from feedback_rows
    group by site_id, standard_code
),
ranked as (
    -- percent_rank: the share of the other sites (with a satisfaction mean)
    -- whose mean is strictly below this site's, 0 to 1.
    select site_id, standard_code,
           percent_rank() over (partition by standard_code order by satisfaction)
               as satisfaction_rank
    from per_site
    where satisfaction is not null
),
nation as (
    select standard_code, count(distinct site_id) as sites,
           avg(applicability) as applicability, avg(operability) as operability,
           avg(clarity) as clarity, avg(benefit) as benefit,
           avg(satisfaction) as satisfaction
    from feedback_rows
    group by standard_code
),
own as (
    select p.*, r.satisfaction_rank
    from per_site p
    left join ranked r using (site_id, standard_code)
    where $site_ids::varchar[] is null or list_contains($site_ids::varchar[], p.site_id)
),
final as (
    select
        o.site_id, o.standard_code,
        -- a title the catalogue has in one language only is shown in both
        coalesce(s.title_zh, s.title_en) as title_zh, coalesce(s.title_en, s.title_zh) as title_en,
        o.responses,
        o.applicability, o.operability, o.clarity, o.benefit, o.satisfaction,
        n.sites - 1 as other_sites,
        n.sites - 1 < $min_others::integer as benchmark_suppressed,
        case when n.sites - 1 >= $min_others::integer then n.applicability end
            as national_applicability,
        case when n.sites - 1 >= $min_others::integer then n.operability end
            as national_operability,
        case when n.sites - 1 >= $min_others::integer then n.clarity end
            as national_clarity,
        case when n.sites - 1 >= $min_others::integer then n.benefit end
            as national_benefit,
        case when n.sites - 1 >= $min_others::integer then n.satisfaction end
            as national_satisfaction,
        case when n.sites - 1 >= $min_others::integer then 100 * o.satisfaction_rank end
            as satisfaction_percentile
    from own o
    join nation n using (standard_code)
    left join standard s on s.code = o.standard_code
)
select * from final
order by site_id, standard_code
