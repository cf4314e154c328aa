"""The `analysis:` section: defaults, bounds and unknown predictors refused with the key."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pipelines.config.analysis import AnalysisConfig
from pipelines.reference.writing import metric_settings


def test_defaults_are_the_documented_ones():
    section = AnalysisConfig()
    assert (section.window_days, section.min_window_coverage, section.min_failures_for_recovery,
            section.bootstrap_replicates) == (90, 0.5, 3, 2000)
    assert section.primary_predictors == ["psysafe", "westrum"]


@pytest.mark.parametrize("values, key", [
    ({"window_days": 7}, "window_days"),
    ({"bootstrap_replicates": 50}, "bootstrap_replicates"),
    ({"primary_predictors": ["morale"]}, "primary_predictors"),
    ({"primary_predictors": []}, "primary_predictors"),
    ({"windows": 90}, "windows"),
])
def test_bad_values_are_refused_naming_the_key(values, key):
    with pytest.raises(ValidationError) as error:
        AnalysisConfig(**values)
    assert key in str(error.value)


def test_the_window_reaches_the_settings_the_panel_reads(tmp_path):
    from pipelines.config import load_config

    config_file = tmp_path / "candor.yaml"
    config_file.write_text(
        "teams:\n  - name: a\n    members: {github: [u1]}\n    repos: {github: [acme/a]}\n"
        "sources:\n  github: {org: acme}\nanalysis:\n  window_days: 60\n")
    settings = metric_settings(load_config(str(config_file)))
    assert settings["analysis_window_days"] == "60"
