-- Survey waves, answers and instrument items (warehouse/surveys.py; tables: migration 002).

-- name: loaded_sha
select file_sha256
from raw.survey_waves
where wave = $wave and instrument = $instrument;

-- name: declared_items
select item_id, position, scale_points, reverse_scored
from meta.survey_items
where instrument = $instrument
order by position;

-- name: other_waves
select count(*)
from raw.survey_waves
where instrument = $instrument and wave <> $wave;

-- name: delete_items
delete from meta.survey_items
where instrument = $instrument;

-- name: insert_item
insert into meta.survey_items
    (instrument, item_id, position, text, scale_points, reverse_scored, scale_labels)
values ($instrument, $item_id, $position, $text, $scale_points, $reverse_scored, $scale_labels);

-- name: delete_answers
delete from raw.survey_answers
where wave = $wave and instrument = $instrument;

-- name: delete_wave
delete from raw.survey_waves
where wave = $wave and instrument = $instrument;

-- name: insert_wave
insert into raw.survey_waves
    (wave, instrument, closes_on, source_file, file_sha256, respondents, scale_points, imported_at)
values ($wave, $instrument, $closes_on, $source_file, $file_sha256, $respondents, $scale_points,
        current_timestamp);

-- name: insert_answers
-- Answers arrive as parallel lists (one per column), unnested row by row: one bound statement
-- instead of one round trip per answer.
insert into raw.survey_answers (wave, instrument, team, respondent_key, item_id, answer)
select $wave, $instrument,
       unnest($teams::varchar[]), unnest($respondent_keys::varchar[]),
       unnest($item_ids::varchar[]), unnest($answers::smallint[]);
