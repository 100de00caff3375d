-- Before relinking: drop the links of every programme in the file, so that
-- the links become exactly what the file says. Reads `_stdeval_programs`.
delete from pilot_program_standard
where program_id in (select program_id from _stdeval_programs)
