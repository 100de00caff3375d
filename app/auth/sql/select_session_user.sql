-- The account behind a session token, if the session is neither revoked nor
-- expired and the account is active.
with sessions as (
    select token_sha256, username, expires_at, revoked_at from app_session
),

accounts as (
    select username, display_name, role, sites, active from app_user
),

final as (
    select a.username, a.display_name, a.role, a.sites
    from sessions as s
    inner join accounts as a on a.username = s.username
    where s.token_sha256 = $token_sha256
      and s.revoked_at is null
      and s.expires_at > $now
      and a.active
)

select * from final
