-- A signed-in browser; only the sha256 of its token is kept.
insert into app_session (token_sha256, username, created_at, expires_at, revoked_at)
values ($token_sha256, $username, $now, $expires_at, null)
