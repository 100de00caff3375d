-- One account by username, or every account (NULL), in username order.
with accounts as (
    select
        username, display_name, role, sites, password_hash, active,
        failed_attempts, locked_until, created_at, updated_at
    from app_user
),

final as (
    select * from accounts
    where $username is null or username = $username
    order by username
)

select * from final
