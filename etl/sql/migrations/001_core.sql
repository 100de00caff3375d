-- 001: reference tables, uploaded sources, operational records.
-- Table and column names are the contract of DATA_MODEL.md: other tools
-- and evaluators query them directly, so they never change in place.
-- Provenance on every sourced row: source_sha256 (file it came from),
-- loaded_at (when it was loaded).

create table if not exists priority_area (
    id varchar primary key,
    name_zh varchar not null,
    name_en varchar not null,
    ord tinyint not null
);

create table if not exists region (
    code varchar(2) primary key,
    name_zh varchar not null,
    name_en varchar not null
);

create table if not exists org_type (
    id varchar primary key,
    name_zh varchar not null,
    name_en varchar not null
);

create table if not exists standard (
    code varchar primary key,
    title_zh varchar,
    title_en varchar,
    category varchar not null,
    published date,
    effective date,
    status varchar,
    replaces varchar,
    priority_area varchar,
    code_year smallint,
    source varchar,
    source_sha256 varchar,
    loaded_at timestamp not null default current_timestamp
);

create table if not exists pilot_program (
    program_id varchar primary key,
    name varchar not null,
    lead_department varchar,
    start_date date,
    end_date date,
    standards varchar,
    source_sha256 varchar,
    loaded_at timestamp not null default current_timestamp
);

create table if not exists pilot_site (
    site_id varchar primary key,
    program_id varchar not null,
    name varchar not null,
    region_code varchar(2),
    org_type varchar,
    sector varchar,
    source_sha256 varchar,
    loaded_at timestamp not null default current_timestamp
);

create table if not exists feedback (
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
    loaded_at timestamp not null default current_timestamp,
    primary key (site_id, standard_code, period)
);

create table if not exists survey (
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
    loaded_at timestamp not null default current_timestamp,
    primary key (response_id, survey_year)
);

create table if not exists funding (
    record_id varchar primary key,
    fiscal_year smallint not null,
    source_type varchar not null,
    funder varchar,
    recipient varchar,
    purpose varchar not null,
    flow varchar not null,
    amount_cny decimal(18, 2) not null,
    date date,
    standard_code varchar,
    program_id varchar,
    region_code varchar(2),
    source_sha256 varchar,
    loaded_at timestamp not null default current_timestamp
);

create table if not exists award_nomination (
    nomination_id varchar primary key,
    award_year smallint not null,
    category varchar not null,
    standard_code varchar,
    nominee_org varchar,
    status varchar not null,
    level varchar,
    prize_cny decimal(18, 2),
    source_sha256 varchar,
    loaded_at timestamp not null default current_timestamp
);

create table if not exists award_review (
    nomination_id varchar not null,
    judge_id varchar not null,
    criterion varchar not null,
    score double not null,
    conflict_of_interest boolean not null default false,
    source_sha256 varchar,
    loaded_at timestamp not null default current_timestamp,
    primary key (nomination_id, judge_id, criterion)
);

create table if not exists lifecycle (
    project_id varchar primary key,
    plan_no varchar,
    title varchar,
    approved date,
    draft date,
    consultation date,
    review date,
    approval date,
    published date,
    published_code varchar,
    source_sha256 varchar,
    loaded_at timestamp not null default current_timestamp
);

-- Operational records (written by the system, never uploaded).
create sequence if not exists ingest_log_seq;
create table if not exists ingest_log (
    ingest_id bigint primary key default nextval('ingest_log_seq'),
    sha256 varchar not null,
    source varchar not null,
    file_name varchar,
    uploader varchar,
    received_at timestamp not null default current_timestamp,
    finished_at timestamp,
    rows_read bigint not null default 0,
    rows_accepted bigint not null default 0,
    rows_rejected bigint not null default 0,
    rows_replaced bigint not null default 0,
    warnings bigint not null default 0,
    status varchar not null,
    error_summary varchar
);

create table if not exists rejected_row (
    sha256 varchar not null,
    source varchar not null,
    row_number bigint,
    column_name varchar,
    value varchar,
    rule varchar not null,
    message_zh varchar not null,
    message_en varchar not null
);

create table if not exists audit_log (
    event_at timestamp not null default current_timestamp,
    actor varchar not null,
    action varchar not null,
    detail varchar
);

-- Latent truth of the synthetic demo warehouse, so that tests can check
-- that the scoring recovers what the generator planted.
create table if not exists demo_truth (
    kind varchar not null,
    key varchar not null,
    dimension varchar not null default '',
    value double,
    note varchar,
    primary key (kind, key, dimension)
);
