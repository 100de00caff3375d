-- Every survey response, for readers of the whole programme. Survey rows
-- belong to no pilot site, so a pilot-site scope ($site_ids set) sees none.
with
rows_in_scope as (
    select s.*
    from survey s
    where $site_ids::varchar[] is null
),
final as (
    select response_id, survey_year, region_code, org_type, org_size, standard_code, aware,
           adoption, q_useful, q_usable, q_current, q_consistent, q_testable, q_satisfied,
           source_sha256, loaded_at
    from rows_in_scope
)
select * from final
order by survey_year, response_id
