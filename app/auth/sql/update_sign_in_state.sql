-- After a sign-in attempt: failed attempts so far and the end of a lockout.
update app_user
set failed_attempts = $failed_attempts, locked_until = $locked_until, updated_at = $now
where username = $username
