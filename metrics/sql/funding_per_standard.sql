-- Money per standard against its effectiveness score (§18–19): committed
-- and disbursed money recorded against each standard, with the composite,
-- interval, grade and evidence flag of a scoring run (its primary year).
with
funding_rows as (
    select f.standard_code, f.flow, cast(f.amount_cny as double) as amount
    from funding f
    left join standard s on s.code = f.standard_code
    where f.standard_code is not null
      and ($year::integer is null or f.fiscal_year = $year::integer)
      and ($standard_codes::varchar[] is null
           or list_contains($standard_codes::varchar[], f.standard_code))
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($region_codes::varchar[] is null
           or list_contains($region_codes::varchar[], f.region_code))
),
money as (
    select
        standard_code,
        coalesce(sum(amount) filter (where flow = 'committed'), 0) as committed_cny,
        coalesce(sum(amount) filter (where flow = 'disbursed'), 0) as disbursed_cny
    from funding_rows
    group by standard_code
),
run_year as (
    select primary_year as year
    from score_run
    where run_id = $run_id::varchar
),
scores as (
    select r.standard_code, r.value, r.ci_low, r.ci_high, r.grade, r.insufficient
    from score_result r
    where r.run_id = $run_id::varchar
      and r.year = (select year from run_year)
      and r.level = 'composite' and r.item = 'score'
),
final as (
    select
        m.standard_code, s.priority_area, m.committed_cny, m.disbursed_cny,
        case when m.committed_cny > 0 then m.disbursed_cny / m.committed_cny end
            as execution_rate,
        sc.value as score, sc.ci_low, sc.ci_high, sc.grade, sc.insufficient
    from money m
    left join standard s on s.code = m.standard_code
    left join scores sc on sc.standard_code = m.standard_code
)
select * from final
order by standard_code
