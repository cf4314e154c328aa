-- The culture tables, recreated by every build (models/culture/build.py) inside the transaction
-- that refills them. A leader can read all three: a team-wave below the anonymity minimum keeps
-- its row and flag but has every figure NULL, and every wave-level figure is computed from the
-- shown teams only (docs/culture.md §5).

create schema if not exists marts;
create schema if not exists analysis;

-- ---------------------------------------------------------------- marts.culture_team_wave
create or replace table marts.culture_team_wave (
    team                varchar not null,
    wave                varchar not null,
    instrument          varchar not null,
    closes_on           date,
    -- anonymity
    suppressed          boolean not null,
    suppression_reason  varchar,
    anonymity_minimum   integer not null,
    -- participation
    team_size           integer,
    n_respondents       integer,
    n_dropped_missing   integer,
    response_rate       double,
    -- score and agreement
    mean                double,
    sd                  double,
    rwg_j               double,
    r_star_wg_j         double,
    low_agreement       boolean,
    icc2_instrument     double,
    -- display
    typology_band       varchar,
    band_convention     varchar not null,
    scale_points        integer not null,
    n_items             integer not null,
    primary key (team, wave, instrument)
);
comment on table marts.culture_team_wave is 'Culture survey score per team, wave and instrument (Westrum, Edmondson psychological safety, custom): mean of person scores with n, SD and within-team agreement. Rows with suppressed = true had fewer respondents than the anonymity minimum: the team is listed but every figure is NULL.';
comment on column marts.culture_team_wave.team is 'Team name as in candor.yaml.';
comment on column marts.culture_team_wave.wave is 'Survey wave name as imported.';
comment on column marts.culture_team_wave.instrument is 'Survey instrument id (westrum, psysafe = Edmondson psychological safety, or a custom one).';
comment on column marts.culture_team_wave.closes_on is 'Date the wave closed; delivery windows are measured from it.';
comment on column marts.culture_team_wave.suppressed is 'True when fewer scored respondents than the anonymity minimum answered: every figure of the row is NULL, including the exact respondent count.';
comment on column marts.culture_team_wave.suppression_reason is 'Why the figures are hidden, in words; NULL when shown.';
comment on column marts.culture_team_wave.anonymity_minimum is 'Smallest number of scored respondents whose results are shown (rules.anonymity_minimum, never below 3).';
comment on column marts.culture_team_wave.team_size is 'Roster size from the configuration, when known.';
comment on column marts.culture_team_wave.n_respondents is 'Respondents whose answers were scored (passed the missing-item rule). NULL when suppressed.';
comment on column marts.culture_team_wave.n_dropped_missing is 'Respondents of this team who answered too few items to be scored (missing-item rule). NULL when suppressed.';
comment on column marts.culture_team_wave.response_rate is 'n_respondents / team_size (0-1); NULL when the team size is unknown or the row is suppressed.';
comment on column marts.culture_team_wave.mean is 'Team score: mean of the person scores (each the mean of a respondent''s answered items, reverse-scored items turned around), on the 1..scale_points scale.';
comment on column marts.culture_team_wave.sd is 'Sample standard deviation (n - 1) of the person scores within the team.';
comment on column marts.culture_team_wave.rwg_j is 'Within-team agreement rwg(j) with the uniform null (James, Demaree & Wolf 1984), 0-1, set to 0 when answers vary more than random answering; > 0.70 is the usual bar for treating the mean as a team property.';
comment on column marts.culture_team_wave.r_star_wg_j is 'Lindell''s r*wg(j) = 1 - mean item variance / uniform null variance; does not grow with the number of items and may be negative.';
comment on column marts.culture_team_wave.low_agreement is 'True when rwg_j < 0.70: read the mean with care (flagged, not dropped).';
comment on column marts.culture_team_wave.icc2_instrument is 'ICC(2) of the instrument in this wave over the shown teams (reliability of team means, from analysis.reliability), repeated beside the team figure.';
comment on column marts.culture_team_wave.typology_band is 'Display band of the mean by a Candor convention, not DORA''s (see band_convention); never use it instead of the score.';
comment on column marts.culture_team_wave.band_convention is 'The band cut points and labels used, in words.';
comment on column marts.culture_team_wave.scale_points is 'Number of response options (7 = strongly disagree .. strongly agree).';
comment on column marts.culture_team_wave.n_items is 'Number of items of the instrument.';

-- ---------------------------------------------------------------- marts.culture_org_wave
create or replace table marts.culture_org_wave (
    wave                 varchar not null,
    instrument           varchar not null,
    closes_on            date,
    n_teams              integer not null,
    n_teams_shown        integer not null,
    n_teams_suppressed   integer not null,
    n_respondents_shown  integer not null,
    mean                 double,
    sd                   double,
    mean_of_team_means   double,
    typology_band        varchar,
    band_convention      varchar not null,
    basis                varchar not null,
    primary key (wave, instrument)
);
comment on table marts.culture_org_wave is 'Culture survey score of the organization per wave and instrument, computed ONLY from teams at or above the anonymity minimum, so no subtraction of the visible teams reveals a suppressed team.';
comment on column marts.culture_org_wave.wave is 'Survey wave name as imported.';
comment on column marts.culture_org_wave.instrument is 'Survey instrument id.';
comment on column marts.culture_org_wave.closes_on is 'Date the wave closed.';
comment on column marts.culture_org_wave.n_teams is 'Teams listed for this wave (answered, or with a known roster).';
comment on column marts.culture_org_wave.n_teams_shown is 'Teams at or above the anonymity minimum: the only ones in the figures of this row.';
comment on column marts.culture_org_wave.n_teams_suppressed is 'Teams below the anonymity minimum, excluded from every figure of this row.';
comment on column marts.culture_org_wave.n_respondents_shown is 'Scored respondents of the shown teams.';
comment on column marts.culture_org_wave.mean is 'Mean person score over the respondents of the shown teams; NULL when no team is shown.';
comment on column marts.culture_org_wave.sd is 'Sample standard deviation of those person scores.';
comment on column marts.culture_org_wave.mean_of_team_means is 'Unweighted mean of the shown teams'' means (each team counts once).';
comment on column marts.culture_org_wave.typology_band is 'Display band of mean by a Candor convention, not DORA''s (see band_convention).';
comment on column marts.culture_org_wave.band_convention is 'The band cut points and labels used, in words.';
comment on column marts.culture_org_wave.basis is 'Which respondents the figures rest on, in words.';

-- ---------------------------------------------------------------- analysis.reliability
create or replace table analysis.reliability (
    instrument         varchar not null,
    wave               varchar not null,
    closes_on          date,
    suppressed         boolean not null,
    n_respondents      integer,
    n_complete         integer,
    n_items            integer not null,
    n_dropped_missing  integer,
    missing_rule       varchar not null,
    alpha              double,
    omega              double,
    icc1               double,
    icc2               double,
    n_teams            integer,
    icc_n_teams        integer,
    method_notes       varchar not null,
    primary key (instrument, wave)
);
comment on table analysis.reliability is 'Reliability of each survey instrument per wave: Cronbach''s alpha, McDonald''s omega, ICC(1) and ICC(2), computed from the respondents of shown teams only (teams at or above the anonymity minimum), so no figure depends on a suppressed team. Describes the instrument, never a single team; suppressed when every team of the wave is below the anonymity minimum.';
comment on column analysis.reliability.instrument is 'Survey instrument id.';
comment on column analysis.reliability.wave is 'Survey wave name as imported.';
comment on column analysis.reliability.closes_on is 'Date the wave closed.';
comment on column analysis.reliability.suppressed is 'True when every team of the wave is below the anonymity minimum: nothing is left to compute from, figures NULL.';
comment on column analysis.reliability.n_respondents is 'Scored respondents (missing-item rule) of the shown teams: the sum of their n in marts.culture_team_wave. Suppressed teams are not counted.';
comment on column analysis.reliability.n_complete is 'Respondents of the shown teams with every item answered: the cases behind alpha and omega (listwise deletion).';
comment on column analysis.reliability.n_items is 'Number of items of the instrument.';
comment on column analysis.reliability.n_dropped_missing is 'Respondents of the shown teams not scored because they answered too few items (see missing_rule).';
comment on column analysis.reliability.missing_rule is 'The missing-item rule applied, in words.';
comment on column analysis.reliability.alpha is 'Cronbach''s alpha = k/(k-1) * (1 - sum of item variances / variance of the sum); 0.70 is the usual floor.';
comment on column analysis.reliability.omega is 'McDonald''s omega total from a one-factor maximum-likelihood model: (sum of loadings)^2 / ((sum of loadings)^2 + sum of uniquenesses).';
comment on column analysis.reliability.icc1 is 'ICC(1) = (MSB - MSW) / (MSB + (k0 - 1) MSW): share of person-score variance between teams; may be negative (read as 0); > 0.10 usual before aggregating.';
comment on column analysis.reliability.icc2 is 'ICC(2) = (MSB - MSW) / MSB: reliability of team means; >= 0.70 is rarely reached by small teams.';
comment on column analysis.reliability.n_teams is 'Shown teams of the wave (at or above the anonymity minimum): the teams behind every figure of this row.';
comment on column analysis.reliability.icc_n_teams is 'Teams in the ICC: the shown teams (each has >= 2 scored respondents).';
comment on column analysis.reliability.method_notes is 'How the figures were computed (basis: shown team-waves only, with the number of teams left out), and any fit warnings.';
