"""Typology bands: equal thirds by default, configurable, labelled as Candor's convention."""

from __future__ import annotations

import pytest

from models.culture import Bands, default_bands, equal_thirds


def test_westrum_default_is_equal_thirds_of_one_to_seven() -> None:
    # Range 1..7 has width 6; thirds of width 2 put the cut points at 3 and 5.
    bands = default_bands("westrum", 7)
    assert bands.cut_points == (3.0, 5.0)
    assert [bands.band(s) for s in (1.0, 2.99, 3.0, 4.99, 5.0, 7.0)] == [
        "pathological",
        "pathological",
        "bureaucratic",
        "bureaucratic",
        "generative",
        "generative",
    ]
    assert bands.band(None) is None


def test_other_instruments_get_low_moderate_high() -> None:
    # 5 points: width 4, thirds at 1 + 4/3 = 2.33 and 1 + 8/3 = 3.67.
    bands = default_bands("psysafe", 5)
    assert bands.cut_points == pytest.approx((7 / 3, 11 / 3))
    assert [bands.band(s) for s in (2.0, 3.0, 4.0)] == ["low", "moderate", "high"]


def test_convention_text_says_it_is_not_doras() -> None:
    text = equal_thirds(7, ("pathological", "bureaucratic", "generative")).describe(7)
    assert text.startswith("Candor convention, not DORA's")
    assert "< 3 pathological, 3 to < 5 bureaucratic, >= 5 generative" in text


def test_custom_bands_from_config() -> None:
    bands = Bands.from_config({"cut_points": [4, 5.5], "labels": ["a", "b", "c"]})
    assert [bands.band(s) for s in (3.9, 4.0, 5.5)] == ["a", "b", "c"]


@pytest.mark.parametrize(
    "config",
    [
        {"cut_points": [3, 5], "labels": ["a", "b"]},
        {"cut_points": [5, 3], "labels": ["a", "b", "c"]},
    ],
)
def test_inconsistent_bands_are_refused(config: dict) -> None:
    with pytest.raises(ValueError, match="band"):
        Bands.from_config(config)
