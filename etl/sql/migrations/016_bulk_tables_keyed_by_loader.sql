-- The bulk tables, feedback and survey, keep their key without a primary-key
-- index (issue 9, fast upserts). The one writer (etl.writer) is the only
-- process that writes them, and its loader keeps every key unique by set
-- operations: validation keeps one row per key within a file, and the rows
-- of keys already stored are copied to replaced_<table> and overwritten by a
-- join, never appended (etl/load.py). Maintaining the index cost most of a
-- bulk load: 1,000,000 feedback rows took 2.9 s to insert and commit into
-- the indexed table against 0.3 s without the index (measured side by side
-- with DuckDB alone; benchmarks/bench_ingest.py shows the whole pipeline).
-- tests/etl/test_keys_unique.py checks that no key is ever stored twice.
--
-- DuckDB cannot drop a primary key in place: each table is copied into a
-- table of the same columns, types, NOT NULL constraints and defaults, which
-- then takes the old name. Views over the tables (counted_feedback and the
-- dashboard's) bind by name when read, so they are unaffected.
create table feedback_016 (
    site_id varchar not null,
    standard_code varchar not null,
    period varchar not null,
    status varchar,
    coverage_pct double,
    applicability tinyint,
    operability tinyint,
    clarity tinyint,
    benefit tinyint,
    satisfaction tinyint,
    incidents_before integer,
    incidents_after integer,
    cost_cny decimal(18, 2),
    problems varchar,
    suggestions varchar,
    source_sha256 varchar,
    loaded_at timestamp not null default current_timestamp
);
insert into feedback_016 by name select * from feedback;
drop table feedback;
alter table feedback_016 rename to feedback;

create table survey_016 (
    response_id varchar not null,
    survey_year smallint not null,
    region_code varchar(2),
    org_type varchar,
    org_size varchar,
    standard_code varchar not null,
    aware boolean,
    adoption varchar,
    q_useful tinyint,
    q_usable tinyint,
    q_current tinyint,
    q_consistent tinyint,
    q_testable tinyint,
    q_satisfied tinyint,
    source_sha256 varchar,
    loaded_at timestamp not null default current_timestamp
);
insert into survey_016 by name select * from survey;
drop table survey;
alter table survey_016 rename to survey;
