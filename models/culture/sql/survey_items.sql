-- Declared items of every instrument, in questionnaire order (meta.survey_items, written by the
-- survey import). scale_points = A, the number of response options; reverse_scored marks items
-- scored as (A + 1) - answer.
select
    instrument,
    item_id,
    position,
    scale_points,
    reverse_scored
from meta.survey_items
order by instrument, position, item_id
