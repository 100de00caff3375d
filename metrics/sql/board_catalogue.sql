-- The standards catalogue with the names of their priority areas, within
-- the reader's priority-area filter.
with
final as (
    select s.code as standard_code,
           -- a title the catalogue has in one language only is shown in both
           coalesce(s.title_zh, s.title_en) as title_zh,
           coalesce(s.title_en, s.title_zh) as title_en,
           s.category, s.status, s.priority_area, pa.name_zh as area_zh, pa.name_en as area_en
    from standard s
    left join priority_area pa on pa.id = s.priority_area
    where $priority_area::varchar is null or s.priority_area = $priority_area::varchar
)
select * from final
order by standard_code
