-- marts.culture_org_wave rows: one bound list per column, unnested together (see
-- insert_culture_team_wave.sql).
insert into marts.culture_org_wave (
    wave, instrument, closes_on,
    n_teams, n_teams_shown, n_teams_suppressed, n_respondents_shown,
    mean, sd, mean_of_team_means, typology_band, band_convention, basis
)
select
    unnest($wave::varchar[]),
    unnest($instrument::varchar[]),
    unnest($closes_on::date[]),
    unnest($n_teams::integer[]),
    unnest($n_teams_shown::integer[]),
    unnest($n_teams_suppressed::integer[]),
    unnest($n_respondents_shown::integer[]),
    unnest($mean::double[]),
    unnest($sd::double[]),
    unnest($mean_of_team_means::double[]),
    unnest($typology_band::varchar[]),
    unnest($band_convention::varchar[]),
    unnest($basis::varchar[])
