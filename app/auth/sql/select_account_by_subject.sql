-- The account bound to an OIDC subject (migration 015), if any.
with bound as (
    select username, active
    from app_user
    where oidc_subject = $subject
),

final as (
    select * from bound order by username
)

select * from final
