-- Headline figures of the Overview page. $site_ids is NULL for the whole
-- programme (a ministry's scope) or the list of sites a pilot site may see.
with
sites as (
    select site_id, program_id from pilot_site
    where $site_ids is null or list_contains($site_ids, site_id)
),
feedback_rows as (
    select f.site_id from feedback f join sites s using (site_id)
),
money as (
    select
        sum(amount_cny) filter (where flow = 'committed') as committed_cny,
        sum(amount_cny) filter (where flow = 'disbursed') as disbursed_cny
    from funding
    where $site_ids is null
),
final as (
    select
        (select count(*) from standard) as standards,
        (select count(*) from standard where priority_area is not null) as standards_mapped,
        -- Every programme for the whole scope (one may have no site yet);
        -- a pilot site sees the programmes of its own sites.
        (
            select case when $site_ids is null then (select count(*) from pilot_program)
                        else (select count(distinct program_id) from sites) end
        ) as programs,
        (select count(*) from sites) as sites,
        (select count(*) from feedback_rows) as feedback_rows,
        (select count(*) from survey where $site_ids is null) as survey_rows,
        (select committed_cny from money) as committed_cny,
        (select disbursed_cny from money) as disbursed_cny,
        (select count(*) from award_nomination where $site_ids is null) as nominations,
        (select count(*) from award_nomination where status = 'awarded' and $site_ids is null)
            as awards
)
select * from final
