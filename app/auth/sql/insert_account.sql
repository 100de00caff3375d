-- A new account; the caller checked role, sites and password.
insert into app_user (
    username, display_name, role, sites, password_hash, active,
    failed_attempts, locked_until, created_at, updated_at
)
values ($username, $display_name, $role, $sites, $password_hash, true, 0, null, $now, $now)
