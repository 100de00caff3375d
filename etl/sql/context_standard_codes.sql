-- Catalogue codes a row may cite: a code outside the catalogue is a row
-- error, never a silent new standard (DATA_MODEL.md, Reference data).
with standards as (
    select code from standard
),

final as (
    select code from standards
)

select * from final
