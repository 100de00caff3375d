-- Sign-in through an OIDC provider (issue 13.1, optional; app/auth/oidc.py).
--
-- oidc_subject: the identity a provider vouches for (its `sub` claim) that an
-- administrator bound to this account with `stdeval users bind`. NULL: the
-- account signs in with its password only. Roles and sites still come from
-- this row, never from the provider. One subject names at most one account
-- (checked when binding: a unique index would make DuckDB refuse ordinary
-- updates of the row within a transaction).
alter table app_user add column oidc_subject varchar;
