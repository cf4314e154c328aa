-- marts.culture_team_wave rows. Each parameter is a bound list holding one column of the rows
-- (models/culture/rows.py); the unnests of one SELECT advance together, so list position i
-- forms row i. One statement instead of one per row: executemany costs ~1 ms a row in DuckDB.
insert into marts.culture_team_wave (
    team, wave, instrument, closes_on,
    suppressed, suppression_reason, anonymity_minimum,
    team_size, n_respondents, n_dropped_missing, response_rate,
    mean, sd, rwg_j, r_star_wg_j, low_agreement, icc2_instrument,
    typology_band, band_convention, scale_points, n_items
)
select
    unnest($team::varchar[]),
    unnest($wave::varchar[]),
    unnest($instrument::varchar[]),
    unnest($closes_on::date[]),
    unnest($suppressed::boolean[]),
    unnest($suppression_reason::varchar[]),
    unnest($anonymity_minimum::integer[]),
    unnest($team_size::integer[]),
    unnest($n_respondents::integer[]),
    unnest($n_dropped_missing::integer[]),
    unnest($response_rate::double[]),
    unnest($mean::double[]),
    unnest($sd::double[]),
    unnest($rwg_j::double[]),
    unnest($r_star_wg_j::double[]),
    unnest($low_agreement::boolean[]),
    unnest($icc2_instrument::double[]),
    unnest($typology_band::varchar[]),
    unnest($band_convention::varchar[]),
    unnest($scale_points::integer[]),
    unnest($n_items::integer[])
