-- One row per standard of a stored run and year key (SCORING.md §3): the
-- ranking estimate and the raw one with their intervals, the rank with its
-- 95 % interval and top-10 probability, grade, evidence and the flags.
-- Only standards in the caller's scope (codes, priority area).
with
results as (
    select *
    from score_result
    where run_id = $run_id and year = $year_key and level = 'composite'
),
ranks as (
    select *
    from score_rank
    where run_id = $run_id and year = $year_key
),
catalogue as (
    select code as standard_code, priority_area from standard
),
ranking_score as (
    select standard_code, value as score, ci_low, ci_high, grade, n_sites, n_responses,
           insufficient, partial
    from results
    where item = 'score'
),
raw_score as (
    select standard_code, value as score_raw, ci_low as ci_low_raw, ci_high as ci_high_raw
    from results
    where item = 'score_raw'
),
final as (
    select
        s.standard_code, s.score, s.ci_low, s.ci_high,
        r.score_raw, r.ci_low_raw, r.ci_high_raw,
        k.rank, k.rank_low, k.rank_high, k.p_top10,
        s.grade, s.n_sites, s.n_responses, s.insufficient, s.partial,
        coalesce(k.ranked, false) as ranked, k.exclusion_reason,
        c.priority_area
    from ranking_score s
    left join raw_score r on r.standard_code = s.standard_code
    left join ranks k on k.standard_code = s.standard_code
    left join catalogue c on c.standard_code = s.standard_code
    where ($standard_codes::varchar[] is null
           or list_contains($standard_codes::varchar[], s.standard_code))
      and ($priority_area::varchar is null or c.priority_area = $priority_area::varchar)
)
select * from final
order by ranked desc, rank nulls last, score desc nulls last, standard_code
