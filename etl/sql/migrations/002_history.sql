-- 002: history of replaced rows and of catalogue changes, and the link
-- table of pilot programmes to the standards they pilot.

create table if not exists row_replacement (
    source varchar not null,
    row_key varchar not null,
    old_sha256 varchar,
    new_sha256 varchar not null,
    replaced_at timestamp not null default current_timestamp,
    old_values varchar
);

create table if not exists standard_history (
    code varchar not null,
    field varchar not null,
    old_value varchar,
    new_value varchar,
    changed_at timestamp not null default current_timestamp,
    source_sha256 varchar
);

create table if not exists pilot_program_standard (
    program_id varchar not null,
    standard_code varchar not null,
    primary key (program_id, standard_code)
);
