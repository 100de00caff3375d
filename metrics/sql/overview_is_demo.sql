-- True when the warehouse holds synthetic demo data (the generator records
-- its latent truth), so every screen can say so.
with final as (select count(*) > 0 as is_demo from demo_truth)
select * from final
