-- Accounts, sign-in sessions and a fuller audit log (issue 13: sign-in and roles).
--
-- app_user: one row per person who signs in to the dashboard. The password
-- is stored only as an argon2id hash; after 5 failed attempts an account is
-- locked until locked_until. A pilot-site account lists its sites.
create table if not exists app_user (
    username varchar primary key,
    display_name varchar not null,
    role varchar not null check (role in ('ministry', 'evaluator', 'pilot_site', 'admin')),
    sites varchar[] not null default [],
    password_hash varchar not null,
    active boolean not null default true,
    failed_attempts integer not null default 0,
    locked_until timestamp,
    created_at timestamp not null,
    updated_at timestamp not null
);

-- app_session: a signed-in browser. The cookie carries the session token
-- (signed); only its sha256 is stored, so a copy of the warehouse holds no
-- usable token. Sign-out sets revoked_at, and a revoked or expired row
-- refuses its cookie even when the signature is good.
create table if not exists app_session (
    token_sha256 varchar primary key,
    username varchar not null,
    created_at timestamp not null,
    expires_at timestamp not null,
    revoked_at timestamp
);

-- audit_log (001) gains a stable order and a target: who (actor) did what
-- (action) to what (target), with details as JSON in `detail`.
create sequence if not exists audit_log_id start 1;
alter table audit_log add column audit_id bigint default nextval('audit_log_id');
alter table audit_log add column target varchar;
