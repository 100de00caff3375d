-- 004: a run's survey reliability and its main settings as columns
-- (SCORING.md §3 "survey reliability ... shown with the scores", §4 "every
-- run records ..."). Until now they lived only in score_run.params (JSON),
-- which stays as it is; runs stored before this migration get the columns
-- and the reliability rows filled from that JSON, so readers can rely on
-- the columns for every run.

create table if not exists score_reliability (
    run_id varchar not null,
    survey_year integer not null,
    n_respondents integer, -- complete respondents used (listwise)
    alpha double, -- Cronbach's alpha over the six q_* items; null when undefined
    warning boolean, -- alpha < 0.7, or alpha undefined
    primary key (run_id, survey_year)
);

alter table score_run add column if not exists primary_year varchar; -- 'overall' or a year
alter table score_run add column if not exists replicates integer;
alter table score_run add column if not exists level double;
alter table score_run add column if not exists config_version varchar;

update score_run
set
    primary_year = coalesce(primary_year, json_extract_string(params, '$.primary_year')),
    replicates = coalesce(replicates, cast(json_extract(params, '$.replicates') as integer)),
    level = coalesce(level, cast(json_extract(params, '$.level') as double)),
    config_version = coalesce(config_version, json_extract_string(params, '$.config_version'))
where params is not null and json_valid(params);

insert into score_reliability (run_id, survey_year, n_respondents, alpha, warning)
select
    run_id,
    cast(r ->> 'survey_year' as integer),
    cast(r ->> 'n_respondents' as integer),
    cast(r ->> 'alpha' as double),
    cast(r ->> 'warning' as boolean)
from (
    select run_id, unnest(json_extract(params, '$.reliability[*]')) as r
    from score_run
    where params is not null and json_valid(params)
)
where r ->> 'survey_year' is not null
on conflict do nothing;
