-- Pilot programmes that sent no feedback in the last two quarters of the
-- warehouse (the latest period any site reported), within the filters and
-- access scope (sites_in_view, all_feedback: in_view.sql; the year range
-- and the priority area do not apply: silence is about the latest quarters);
-- a programme that never reported has a null last_period.
with
quarter_index as (
    select f.period, st.program_id,
           cast(left(f.period, 4) as integer) * 4 + cast(right(f.period, 1) as integer) as q
    from all_feedback f join sites_in_view st using (site_id)
),
latest as (
    select max(cast(left(period, 4) as integer) * 4 + cast(right(period, 1) as integer)) as q
    from all_feedback
),
per_program as (
    select program_id, max(q) as last_q, max(period) as last_period
    from quarter_index group by program_id
),
final as (
    select p.program_id, p.name, p.lead_department, pp.last_period,
           (select q from latest) - pp.last_q as quarters_silent
    from pilot_program p
    left join per_program pp using (program_id)
    where p.program_id in (select program_id from sites_in_view)
      and (pp.last_q is null or (select q from latest) - pp.last_q >= 2)
)
select * from final
order by last_period nulls first, program_id
