-- Standards in the caller's scope (metrics.scope.Scope): codes and priority
-- area. Publication date for the age score of A3 (SCORING.md §1): the
-- published date, else 1 January of the year in the code.
with
catalogue as (
    select code as standard_code, published, code_year, priority_area
    from standard
),
in_scope as (
    select *
    from catalogue
    where ($standard_codes::varchar[] is null
           or list_contains($standard_codes::varchar[], standard_code))
      and ($priority_area::varchar is null or priority_area = $priority_area::varchar)
),
final as (
    select
        standard_code,
        priority_area,
        coalesce(published, make_date(code_year, 1, 1)) as published_on
    from in_scope
)
select * from final
