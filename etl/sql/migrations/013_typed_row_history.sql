-- Typed history of replaced rows (issue 9, fast upserts): a stored row that
-- a later file replaces is copied as it was into replaced_<table>, a table
-- with the source table's columns (same types, no constraints) plus who
-- replaced it and when. Copying typed columns in one INSERT ... SELECT is
-- several times cheaper than rendering every old row as JSON while loading
-- (1,000,000 replaced feedback rows: the JSON took most of the load).
--
-- row_replacement keeps what it showed: one row per replaced version
-- (source, row_key, old_sha256, new_sha256, replaced_at, old_values as
-- JSON), now a view that renders the typed copies as JSON when read, plus
-- the rows still written as JSON (rows of a file superseded within the
-- same file) kept in row_replacement_logged. Join it to ingest_log on
-- new_sha256 to see the versions of a key in receipt order.
--
-- A migration that adds a column to a source table adds it to its
-- replaced_<table> too (the loader copies the columns both have).
alter table row_replacement rename to row_replacement_logged;

create table if not exists replaced_pilot_program as
select ''::varchar as replaced_by_sha256, current_timestamp::timestamp as replaced_at, *
from pilot_program limit 0;
create table if not exists replaced_pilot_site as
select ''::varchar as replaced_by_sha256, current_timestamp::timestamp as replaced_at, *
from pilot_site limit 0;
create table if not exists replaced_feedback as
select ''::varchar as replaced_by_sha256, current_timestamp::timestamp as replaced_at, *
from feedback limit 0;
create table if not exists replaced_survey as
select ''::varchar as replaced_by_sha256, current_timestamp::timestamp as replaced_at, *
from survey limit 0;
create table if not exists replaced_funding as
select ''::varchar as replaced_by_sha256, current_timestamp::timestamp as replaced_at, *
from funding limit 0;
create table if not exists replaced_award_nomination as
select ''::varchar as replaced_by_sha256, current_timestamp::timestamp as replaced_at, *
from award_nomination limit 0;
create table if not exists replaced_award_review as
select ''::varchar as replaced_by_sha256, current_timestamp::timestamp as replaced_at, *
from award_review limit 0;
create table if not exists replaced_lifecycle as
select ''::varchar as replaced_by_sha256, current_timestamp::timestamp as replaced_at, *
from lifecycle limit 0;
create table if not exists replaced_standard as
select ''::varchar as replaced_by_sha256, current_timestamp::timestamp as replaced_at, *
from standard limit 0;

create or replace view row_replacement as
with typed as (
    select
        'pilot_program' as source,
        to_json([cast(program_id as varchar)]) as row_key,
        source_sha256 as old_sha256,
        replaced_by_sha256 as new_sha256,
        replaced_at,
        to_json(struct_pack(*columns(* exclude (replaced_by_sha256, replaced_at)))) as old_values
    from replaced_pilot_program
    union all
    select
        'pilot_site', to_json([cast(site_id as varchar)]), source_sha256, replaced_by_sha256,
        replaced_at,
        to_json(struct_pack(*columns(* exclude (replaced_by_sha256, replaced_at))))
    from replaced_pilot_site
    union all
    select
        'feedback',
        to_json([cast(site_id as varchar), cast(standard_code as varchar), cast(period as varchar)]),
        source_sha256, replaced_by_sha256, replaced_at,
        to_json(struct_pack(*columns(* exclude (replaced_by_sha256, replaced_at))))
    from replaced_feedback
    union all
    select
        'survey', to_json([cast(response_id as varchar), cast(survey_year as varchar)]),
        source_sha256, replaced_by_sha256, replaced_at,
        to_json(struct_pack(*columns(* exclude (replaced_by_sha256, replaced_at))))
    from replaced_survey
    union all
    select
        'funding', to_json([cast(record_id as varchar)]), source_sha256, replaced_by_sha256,
        replaced_at,
        to_json(struct_pack(*columns(* exclude (replaced_by_sha256, replaced_at))))
    from replaced_funding
    union all
    select
        'award_nomination', to_json([cast(nomination_id as varchar)]), source_sha256,
        replaced_by_sha256, replaced_at,
        to_json(struct_pack(*columns(* exclude (replaced_by_sha256, replaced_at))))
    from replaced_award_nomination
    union all
    select
        'award_review',
        to_json([cast(nomination_id as varchar), cast(judge_id as varchar), cast(criterion as varchar)]),
        source_sha256, replaced_by_sha256, replaced_at,
        to_json(struct_pack(*columns(* exclude (replaced_by_sha256, replaced_at))))
    from replaced_award_review
    union all
    select
        'lifecycle', to_json([cast(project_id as varchar)]), source_sha256, replaced_by_sha256,
        replaced_at,
        to_json(struct_pack(*columns(* exclude (replaced_by_sha256, replaced_at))))
    from replaced_lifecycle
    union all
    select
        'standard', to_json([cast(code as varchar)]), source_sha256, replaced_by_sha256,
        replaced_at,
        to_json(struct_pack(*columns(* exclude (replaced_by_sha256, replaced_at))))
    from replaced_standard
),

logged as (
    select source, row_key, old_sha256, new_sha256, replaced_at, old_values
    from row_replacement_logged
),

final as (
    select * from logged
    union all
    select * from typed
)

select * from final;
