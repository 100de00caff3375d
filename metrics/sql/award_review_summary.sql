-- Award review summaries (§19, SCORING.md related measures): per nomination
-- and criterion, the mean jury score over judges without a conflict of
-- interest, trimmed (the single highest and lowest dropped) when 5 or more
-- judges count (bound from metrics.awards.TRIM_FROM). A standard-excellence
-- nominee carries its effectiveness score from a scoring run (the run's
-- primary_year column), so juries see the evidence; with no run given,
-- those columns are null.
with
nominations as (
    select
        n.nomination_id, n.award_year, n.category, n.standard_code, n.nominee_org,
        n.status, n.level
    from award_nomination n
    left join standard s on s.code = n.standard_code
    where ($year::integer is null or n.award_year = $year::integer)
      and ($standard_codes::varchar[] is null
           or list_contains($standard_codes::varchar[], n.standard_code))
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
),
reviews as (
    select r.nomination_id, r.judge_id, r.criterion, r.score, r.conflict_of_interest
    from award_review r
    where r.nomination_id in (select nomination_id from nominations)
),
review_counts as (
    select
        nomination_id, criterion,
        count(*) as n_reviews,
        count(*) filter (where conflict_of_interest) as n_conflict
    from reviews
    group by nomination_id, criterion
),
counted as (
    select
        nomination_id, criterion, judge_id, score,
        row_number() over (
            partition by nomination_id, criterion order by score asc, judge_id asc
        ) as rank_low,
        row_number() over (
            partition by nomination_id, criterion order by score desc, judge_id desc
        ) as rank_high,
        count(*) over (partition by nomination_id, criterion) as n_counted
    from reviews
    where not conflict_of_interest
),
per_criterion as (
    select
        nomination_id, criterion,
        max(n_counted) as n_counted,
        max(n_counted) >= $trim_from::integer as trimmed,
        avg(score) filter (
            where n_counted < $trim_from::integer or (rank_low > 1 and rank_high > 1)
        ) as mean_score,
        avg(score) as untrimmed_mean
    from counted
    group by nomination_id, criterion
),
run_year as (
    select primary_year as year
    from score_run
    where run_id = $run_id::varchar
),
effectiveness as (
    select r.standard_code, r.value, r.ci_low, r.ci_high, r.grade, r.insufficient
    from score_result r
    where r.run_id = $run_id::varchar
      and r.year = (select year from run_year)
      and r.level = 'composite' and r.item = 'score'
),
final as (
    select
        n.nomination_id, n.award_year, n.category, n.standard_code, n.nominee_org,
        n.status, n.level, c.criterion,
        cast(c.n_reviews as integer) as n_reviews,
        cast(c.n_conflict as integer) as n_conflict,
        cast(coalesce(p.n_counted, 0) as integer) as n_counted,
        coalesce(p.trimmed, false) as trimmed,
        p.mean_score,
        p.untrimmed_mean,
        e.value as effectiveness_score,
        e.ci_low as effectiveness_ci_low,
        e.ci_high as effectiveness_ci_high,
        e.grade as effectiveness_grade,
        e.insufficient as effectiveness_insufficient
    from nominations n
    join review_counts c on c.nomination_id = n.nomination_id
    left join per_criterion p on p.nomination_id = c.nomination_id and p.criterion = c.criterion
    left join effectiveness e on e.standard_code = n.standard_code
)
select * from final
order by award_year, nomination_id, criterion
