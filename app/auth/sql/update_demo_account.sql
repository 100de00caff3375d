-- A demo account built again: role, sites and password as `stdeval demo` gives them.
update app_user
set display_name = $display_name, role = $role, sites = $sites,
    password_hash = $password_hash, active = true, failed_attempts = 0,
    locked_until = null, updated_at = $now
where username = $username
