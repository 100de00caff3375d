-- Bind an account to an OIDC subject, or unbind it (NULL); returns the account.
with changed as (
    update app_user
    set oidc_subject = $subject, updated_at = $now
    where username = $username
    returning username
)

select * from changed
