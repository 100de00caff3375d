-- A new password, which also lifts a lockout.
update app_user
set password_hash = $password_hash, failed_attempts = 0, locked_until = null, updated_at = $now
where username = $username
