-- analysis.reliability rows: one bound list per column, unnested together (see
-- insert_culture_team_wave.sql).
insert into analysis.reliability (
    instrument, wave, closes_on, suppressed,
    n_respondents, n_complete, n_items, n_dropped_missing, missing_rule,
    alpha, omega, icc1, icc2, n_teams, icc_n_teams, method_notes
)
select
    unnest($instrument::varchar[]),
    unnest($wave::varchar[]),
    unnest($closes_on::date[]),
    unnest($suppressed::boolean[]),
    unnest($n_respondents::integer[]),
    unnest($n_complete::integer[]),
    unnest($n_items::integer[]),
    unnest($n_dropped_missing::integer[]),
    unnest($missing_rule::varchar[]),
    unnest($alpha::double[]),
    unnest($omega::double[]),
    unnest($icc1::double[]),
    unnest($icc2::double[]),
    unnest($n_teams::integer[]),
    unnest($icc_n_teams::integer[]),
    unnest($method_notes::varchar[])
