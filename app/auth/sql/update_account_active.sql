-- Disable (or enable again) an account.
update app_user
set active = $active, updated_at = $now
where username = $username
