-- Migration 002: culture survey waves, answers and the declared instrument items.
--
-- Written by the survey import (warehouse/surveys.py) from the records of connectors/surveys.
-- No table holds a name, an e-mail, a free-text answer or a raw respondent id: respondents are
-- opaque keys (a salted HMAC of the export's id column, or a hash of file and row). A wave is
-- replaced as a whole when a changed file is imported for it, in one transaction.

-- ---------------------------------------------------------------- raw.survey_*
create table if not exists raw.survey_waves (
    wave          varchar  not null,
    instrument    varchar  not null,
    closes_on     date     not null,
    source_file   varchar  not null,
    file_sha256   varchar  not null,
    respondents   integer  not null,
    scale_points  smallint not null,
    imported_at   timestamptz not null,
    primary key (wave, instrument)
);
comment on table raw.survey_waves is 'One row per imported survey export: a wave (e.g. 2026-Q3) of one instrument (westrum, psysafe, or a custom one from candor.yaml). Importing the same file again changes nothing; a changed file replaces the wave.';
comment on column raw.survey_waves.wave is 'Wave name from candor.yaml, e.g. 2026-Q3.';
comment on column raw.survey_waves.instrument is 'Instrument id: westrum (Westrum culture, DORA wording, team referent), psysafe (Edmondson team psychological safety), or a custom id declared in candor.yaml.';
comment on column raw.survey_waves.closes_on is 'Date the wave closed (from candor.yaml); delivery windows before and after the wave are measured from it.';
comment on column raw.survey_waves.source_file is 'File name (no directory) of the imported export.';
comment on column raw.survey_waves.file_sha256 is 'SHA-256 of the imported file''s bytes; a re-import of identical bytes is a no-op.';
comment on column raw.survey_waves.respondents is 'Number of respondent rows imported for the wave (all teams).';
comment on column raw.survey_waves.scale_points is 'Number of response options of the scale the answers were given on (7 = strongly disagree .. strongly agree).';
comment on column raw.survey_waves.imported_at is 'When this version of the wave was imported (UTC).';

create table if not exists raw.survey_answers (
    wave            varchar  not null,
    instrument      varchar  not null,
    team            varchar  not null,
    respondent_key  varchar  not null,
    item_id         varchar  not null,
    answer          smallint,
    primary key (wave, instrument, respondent_key, item_id)
);
comment on table raw.survey_answers is 'One row per respondent and item of an imported wave: the raw answer code as given, before reverse scoring. Every item of the instrument has a row for every respondent; a skipped or "prefer not to answer / NA" item has answer NULL.';
comment on column raw.survey_answers.wave is 'Wave name; with instrument, the key of raw.survey_waves.';
comment on column raw.survey_answers.instrument is 'Instrument id; see meta.survey_items for its items.';
comment on column raw.survey_answers.team is 'Team the respondent answered for, spelled as in candor.yaml.';
comment on column raw.survey_answers.respondent_key is 'Opaque respondent key: HMAC-SHA256 of the export''s respondent id under a secret salt (CANDOR_SURVEY_SALT), so one person links across waves without the id being stored; without an id column, a hash of file and row.';
comment on column raw.survey_answers.item_id is 'Item id, e.g. westrum_3 or psysafe_5 (meta.survey_items).';
comment on column raw.survey_answers.answer is 'Raw answer code 1..scale_points as given (not reverse-scored); NULL = no answer or NA.';

-- ---------------------------------------------------------------- meta.survey_items
create table if not exists meta.survey_items (
    instrument      varchar   not null,
    item_id         varchar   not null,
    position        smallint  not null,
    text            varchar   not null,
    scale_points    smallint  not null,
    reverse_scored  boolean   not null,
    scale_labels    varchar[] not null,
    primary key (instrument, item_id)
);
comment on table meta.survey_items is 'Items of every imported instrument, in questionnaire order, as declared at import. An instrument whose items, scale or reverse flags change must get a new id: answers of different variants are never pooled.';
comment on column meta.survey_items.instrument is 'Instrument id (westrum, psysafe, or custom).';
comment on column meta.survey_items.item_id is 'Item id as stored in raw.survey_answers.item_id.';
comment on column meta.survey_items.position is 'Position of the item in the questionnaire (1 = first).';
comment on column meta.survey_items.text is 'Item wording shown to respondents.';
comment on column meta.survey_items.scale_points is 'Number of response options A; answers are coded 1..A.';
comment on column meta.survey_items.reverse_scored is 'True when agreeing means less of the construct: scored as (A + 1) - answer.';
comment on column meta.survey_items.scale_labels is 'Labels of the answer codes, in order: scale_labels[1] is code 1.';
