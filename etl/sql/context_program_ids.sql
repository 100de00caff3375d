-- Registered pilot programmes: a site or a funding record may only cite these.
with programs as (
    select program_id from pilot_program
),

final as (
    select program_id from programs
)

select * from final
