-- 007: rank uncertainty and the evidence rule per source (SCORING.md §3).
-- Per run, standard and year: whether it is ranked (or why it is listed
-- apart), its rank, 95 % rank interval and probability of a top-10 place
-- from the bootstrap replicates. The raw and shrunk composites with their
-- intervals are score_result items 'score_raw' and 'score_shrunk' ('score'
-- is the ranking estimate). The run records whether it ranked on the
-- shrunk estimate and the evidence thresholds it applied; runs stored
-- before this migration keep nulls there (their params JSON says
-- 'shrinkage', and their config JSON the thresholds then in force).

create table if not exists score_rank (
    run_id varchar not null,
    standard_code varchar not null,
    year varchar not null, -- a year as text, or 'overall'
    ranked boolean not null,
    exclusion_reason varchar, -- null, 'insufficient', 'partial' or 'few_sites'
    rank integer, -- null when not ranked
    rank_low integer, -- 95 % rank interval (null without replicates)
    rank_high integer,
    p_top10 double, -- share of replicates ranking it in the top 10
    primary key (run_id, standard_code, year)
);

alter table score_run add column if not exists shrinkage boolean;
alter table score_run add column if not exists min_sites integer;
alter table score_run add column if not exists min_responses integer;
alter table score_run add column if not exists min_feedback_sites integer;

update score_run
set
    shrinkage = coalesce(shrinkage, cast(json_extract(params, '$.shrinkage') as boolean)),
    min_sites = coalesce(min_sites, cast(json_extract(config, '$.evidence.min_sites') as integer)),
    min_responses = coalesce(
        min_responses, cast(json_extract(config, '$.evidence.min_responses') as integer)
    )
where params is not null and json_valid(params) and json_valid(config);
