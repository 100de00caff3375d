-- The actors and actions present in the audit log, for the filters of its page.
with final as (
    select
        list(distinct actor order by actor) as actors,
        list(distinct action order by action) as actions
    from audit_log
)

select * from final
