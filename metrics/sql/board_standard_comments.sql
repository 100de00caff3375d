-- Problems and suggestions written about one standard ($standard_code),
-- each distinct text with how often it was sent, within the reader's
-- filters and access scope (feedback_in_view: in_view.sql; free text is
-- grouped into themes in Python).
with
rows_in_view as (
    select problems, suggestions from feedback_in_view
    where standard_code = $standard_code::varchar
),
texts as (
    select 'problem' as kind, trim(problems) as text from rows_in_view
    where nullif(trim(problems), '') is not null
    union all
    select 'suggestion', trim(suggestions) from rows_in_view
    where nullif(trim(suggestions), '') is not null
),
final as (
    select kind, text, count(*) as n from texts group by all
)
select * from final
order by kind, n desc, text
