-- Which of the given site ids are registered pilot sites.
with sites as (
    select site_id from pilot_site
),

final as (
    select site_id from sites
    where list_contains($site_ids, site_id)
    order by site_id
)

select * from final
