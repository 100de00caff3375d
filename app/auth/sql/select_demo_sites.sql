-- The first registered pilot sites, for the demo's pilot-site accounts.
with sites as (
    select site_id from pilot_site
),

final as (
    select site_id from sites order by site_id limit $n
)

select * from final
