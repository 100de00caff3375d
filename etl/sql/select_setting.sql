-- One warehouse setting (app_setting), with who changed it last and when.
with
final as (
    select name, value, changed_at, changed_by from app_setting where name = $name
)
select * from final
