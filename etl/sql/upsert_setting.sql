-- Set one warehouse setting.
insert into app_setting (name, value, changed_at, changed_by)
values ($name, $value, $at, $actor)
on conflict (name) do update set
    value = excluded.value, changed_at = excluded.changed_at, changed_by = excluded.changed_by
