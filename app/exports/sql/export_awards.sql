-- Every award nomination, for readers of the whole programme. Awards are
-- programme-wide records: a pilot-site scope ($site_ids set) sees none.
with
rows_in_scope as (
    select a.*
    from award_nomination a
    where $site_ids::varchar[] is null
),
final as (
    select nomination_id, award_year, category, standard_code, nominee_org, status, level,
           cast(prize_cny as double) as prize_cny, source_sha256, loaded_at
    from rows_in_scope
)
select * from final
order by award_year, nomination_id
