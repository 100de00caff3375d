-- Sign-out: the session's cookie stops working, even if a copy of it is kept.
update app_session
set revoked_at = $now
where token_sha256 = $token_sha256 and revoked_at is null
returning username
