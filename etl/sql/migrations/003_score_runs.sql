-- 003: evaluation runs and their results (SCORING.md §4). Every exported
-- score carries its run_id; the same run_id always reproduces the numbers.

create table if not exists score_run (
    run_id varchar primary key,
    method varchar not null,
    weights varchar not null,
    config varchar not null,
    ri_table varchar,
    seed bigint,
    fingerprint varchar not null,
    code_version varchar not null,
    scope varchar,
    params varchar,
    created_at timestamp not null default current_timestamp,
    created_by varchar not null
);

create table if not exists score_result (
    run_id varchar not null,
    standard_code varchar not null,
    year varchar not null, -- a year as text, or 'overall'
    level varchar not null, -- 'indicator', 'dimension' or 'composite'
    item varchar not null, -- indicator id (A1...), dimension id (A..D) or 'score'
    value double,
    ci_low double,
    ci_high double,
    n_sites integer,
    n_responses integer,
    grade varchar,
    insufficient boolean,
    partial boolean,
    primary key (run_id, standard_code, year, level, item)
);
