-- Every open session of an account (disabled, or its password reset).
update app_session
set revoked_at = $now
where username = $username and revoked_at is null
