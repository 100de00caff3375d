-- Pilot programmes -> the standards they pilot (§13). The `standards` cell
-- lists codes separated by ; ； , ， or 、 (DATA_MODEL.md).
-- Reads the registered frame `_stdeval_programs` (program_id, standards).
insert or ignore into pilot_program_standard (program_id, standard_code)
with programs as (
    select program_id, standards from _stdeval_programs
),

codes as (
    select
        program_id,
        trim(unnest(regexp_split_to_array(standards, '[;；,，、]'))) as standard_code
    from programs
    where standards is not null
),

final as (
    select distinct program_id, standard_code
    from codes
    where standard_code <> ''
)

select * from final
