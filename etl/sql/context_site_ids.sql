-- Registered pilot sites (§13): feedback from an unknown site is a row error.
with sites as (
    select site_id from pilot_site
),

final as (
    select site_id from sites
)

select * from final
