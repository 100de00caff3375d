-- Funding (§18 fiscal, §19 social money): committed, disbursed and the
-- execution rate (disbursed / committed) by source, purpose, year, region
-- and priority area, and for all money in scope (grouping 'all'); the
-- social share is enterprise plus foundation money over all money. A null
-- key is money with no region or no standard (hence no priority area).
with
funding_rows as (
    select
        f.record_id, f.fiscal_year, f.source_type, f.purpose, f.flow,
        cast(f.amount_cny as double) as amount, f.region_code, s.priority_area,
        f.source_type in ('enterprise', 'foundation') as social
    from funding f
    left join standard s on s.code = f.standard_code
    where ($year::integer is null or f.fiscal_year = $year::integer)
      and ($standard_codes::varchar[] is null
           or list_contains($standard_codes::varchar[], f.standard_code))
      and ($priority_area::varchar is null or s.priority_area = $priority_area::varchar)
      and ($region_codes::varchar[] is null
           or list_contains($region_codes::varchar[], f.region_code))
),
grouped as (
    select
        case
            when grouping(source_type) = 0 then 'source_type'
            when grouping(purpose) = 0 then 'purpose'
            when grouping(fiscal_year) = 0 then 'fiscal_year'
            when grouping(region_code) = 0 then 'region_code'
            when grouping(priority_area) = 0 then 'priority_area'
            else 'all'
        end as grouping_name,
        case
            when grouping(source_type) = 0 then source_type
            when grouping(purpose) = 0 then purpose
            when grouping(fiscal_year) = 0 then cast(fiscal_year as varchar)
            when grouping(region_code) = 0 then region_code
            when grouping(priority_area) = 0 then priority_area
        end as key,
        count(*) as n_records,
        coalesce(sum(amount) filter (where flow = 'committed'), 0) as committed_cny,
        coalesce(sum(amount) filter (where flow = 'disbursed'), 0) as disbursed_cny,
        coalesce(sum(amount) filter (where flow = 'committed' and social), 0) as social_committed_cny,
        coalesce(sum(amount) filter (where flow = 'disbursed' and social), 0) as social_disbursed_cny
    from funding_rows
    group by grouping sets ((source_type), (purpose), (fiscal_year), (region_code), (priority_area), ())
),
final as (
    select
        grouping_name, key, cast(n_records as integer) as n_records,
        committed_cny, disbursed_cny,
        case when committed_cny > 0 then disbursed_cny / committed_cny end as execution_rate,
        case when committed_cny > 0 then social_committed_cny / committed_cny end
            as social_share_committed,
        case when disbursed_cny > 0 then social_disbursed_cny / disbursed_cny end
            as social_share_disbursed
    from grouped
)
select * from final
order by grouping_name, key nulls last
