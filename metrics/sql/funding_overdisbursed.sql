-- Disbursed money above what was committed for the same funder, recipient,
-- purpose and year (DATA_MODEL.md funding): a warning for the dashboard.
-- Sums stay exact decimals until compared: as doubles, parts of a sum equal
-- to the commitment can add up to a hair above it and raise a false warning.
with
funding_rows as (
    select
        f.funder, f.recipient, f.purpose, f.fiscal_year, f.flow,
        f.amount_cny as amount
    from funding f
    left join standard s on s.code = f.standard_code
    where ($year::integer is null or f.fiscal_year = $year::integer)
      and ($standard_codes::varchar[] is null
           or list_contains($standard_codes::varchar[], f.standard_code))
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($region_codes::varchar[] is null
           or list_contains($region_codes::varchar[], f.region_code))
),
pairs as (
    select
        funder, recipient, purpose, fiscal_year,
        coalesce(sum(amount) filter (where flow = 'committed'), 0) as committed_cny,
        coalesce(sum(amount) filter (where flow = 'disbursed'), 0) as disbursed_cny
    from funding_rows
    group by funder, recipient, purpose, fiscal_year
),
final as (
    select
        funder, recipient, purpose, fiscal_year,
        cast(committed_cny as double) as committed_cny,
        cast(disbursed_cny as double) as disbursed_cny,
        cast(disbursed_cny - committed_cny as double) as excess_cny,
        case when committed_cny > 0
            then cast(disbursed_cny as double) / cast(committed_cny as double) end as ratio
    from pairs
    where disbursed_cny > committed_cny
)
select * from final
order by excess_cny desc, funder, recipient, purpose, fiscal_year
