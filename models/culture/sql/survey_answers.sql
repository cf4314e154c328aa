-- One row per respondent and item as imported: answer is the raw scale code (1..A) before
-- reverse scoring, NULL when the item was skipped or answered "prefer not to answer / NA".
-- closes_on comes from the wave declaration so team-wave rows can be joined to delivery windows.
with answers as (
    select wave, instrument, team, respondent_key, item_id, answer
    from raw.survey_answers
),

waves as (
    select wave, instrument, closes_on
    from raw.survey_waves
)

select
    answers.wave,
    answers.instrument,
    waves.closes_on,
    answers.team,
    answers.respondent_key,
    answers.item_id,
    answers.answer
from answers
left join waves using (wave, instrument)
order by answers.instrument, answers.wave, answers.team, answers.respondent_key
