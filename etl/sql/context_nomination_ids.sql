-- Known award nominations (§12, §19): a review must score one of these.
with nominations as (
    select nomination_id from award_nomination
),

final as (
    select nomination_id from nominations
)

select * from final
