-- The fingerprint of the data a scoring run reads (SCORING.md §4): per part,
-- the number of rows in scope and two order-free combinations (XOR and sum)
-- of DuckDB's 64-bit hash of every whole row, so that any changed, added or
-- removed row changes it whatever the row order. DuckDB's hash is stable
-- within a DuckDB version; the run's code_version records that version.
with
standard_part as (
    select 'standard' as part, count(*) as n_rows,
        coalesce(bit_xor(hash(s)), 0) as hash_xor, coalesce(sum(hash(s)), 0) as hash_sum
    from scope_standard s
),
feedback_part as (
    select 'feedback' as part, count(*) as n_rows,
        coalesce(bit_xor(hash(f)), 0) as hash_xor, coalesce(sum(hash(f)), 0) as hash_sum
    from scope_feedback f
),
survey_part as (
    select 'survey' as part, count(*) as n_rows,
        coalesce(bit_xor(hash(v)), 0) as hash_xor, coalesce(sum(hash(v)), 0) as hash_sum
    from scope_survey v
),
final as (
    select * from standard_part
    union all
    select * from feedback_part
    union all
    select * from survey_part
)
select * from final
order by part
