"""Built-in instruments match reference/instruments.md; custom ones come from candor.yaml dicts."""

from __future__ import annotations

import datetime as dt

import pytest
from survey_files import spec

from connectors.surveys import (
    AGREE_7,
    PSYCHOLOGICAL_SAFETY,
    WESTRUM,
    ColumnMapping,
    ColumnMappingError,
    InstrumentConfigError,
    instrument_from_config,
    instruments_from_config,
    read_survey,
)
from connectors.surveys.answers import AnswerRejected, answer_code


def test_westrum_is_dora_variant_b_with_six_forward_items() -> None:
    assert WESTRUM.item_ids == tuple(f"westrum_{n}" for n in range(1, 7))
    assert not any(item.reverse_scored for item in WESTRUM.items)
    assert WESTRUM.items[0].text == "On my team, information is actively sought."
    assert WESTRUM.items[4].text.startswith("On my team, failures are treated primarily")
    assert WESTRUM.scale is AGREE_7


def test_psychological_safety_reverses_items_1_3_5_only() -> None:
    reversed_items = [item for item in PSYCHOLOGICAL_SAFETY.items if item.reverse_scored]
    assert [item.item_id for item in reversed_items] == ["psysafe_1", "psysafe_3", "psysafe_5"]
    # The three negatively worded items, never "unique skills" (a known template error).
    assert [
        "held against you" in reversed_items[0].text,
        "reject others" in reversed_items[1].text,
        "difficult to ask" in reversed_items[2].text,
    ] == [True, True, True]
    assert len(PSYCHOLOGICAL_SAFETY.items) == 7


def test_agree_scale_codes_labels_1_to_7_and_treats_na_as_missing() -> None:
    assert AGREE_7.points == 7
    assert AGREE_7.code_of("Strongly disagree") == 1
    assert AGREE_7.code_of("  neither AGREE nor   disagree ") == 4
    assert AGREE_7.code_of("Strongly agree") == 7
    assert AGREE_7.code_of("Prefer not to answer") is None
    assert AGREE_7.means_missing("I DON\u2019T KNOW")  # typographic apostrophe


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        (5, 5),
        (5.0, 5),
        ("5", 5),
        ("5.0", 5),
        (" Agree ", 6),
        ("n/a", None),
        ("", None),
        (None, None),
        ("Somewhat Agree", 5),
    ],
)
def test_answer_cells_that_are_accepted(cell: object, code: int | None) -> None:
    assert answer_code(cell, AGREE_7) == code


@pytest.mark.parametrize(
    "cell", ["8", 0, 7.5, "-1", True, dt.date(2026, 1, 5), "=1+1", "Agree strongly", "#N/A"]
)
def test_answer_cells_that_are_rejected(cell: object) -> None:
    with pytest.raises(AnswerRejected):
        answer_code(cell, AGREE_7)


LEARNING = {
    "id": "learning",
    "title": "Team learning behaviour",
    "scale": "agree_5",
    "items": [
        {"id": "learning_1", "text": "We regularly take time to figure out ways to improve."},
        {
            "id": "learning_2",
            "text": "We handle differences of opinion privately.",
            "reverse": True,
        },
    ],
}


def test_custom_instrument_from_config() -> None:
    instrument = instrument_from_config(LEARNING)
    assert instrument.item_ids == ("learning_1", "learning_2")
    assert [item.reverse_scored for item in instrument.items] == [False, True]
    assert instrument.scale.points == 5
    assert instrument.scale.code_of("Agree") == 4  # 6 on the 7-point scale
    custom = instrument_from_config(
        {
            **LEARNING,
            "id": "accuracy",
            "scale": {"points": 3, "labels": ["Low", "Mid", "High"], "missing_labels": ["Skip"]},
        }
    )
    assert custom.scale.code_of("high") == 3
    assert custom.scale.means_missing("SKIP")
    assert set(instruments_from_config([LEARNING])) == {"westrum", "psysafe", "learning"}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({**LEARNING, "id": "westrum"}, "is a built-in instrument"),
        ({**LEARNING, "scale": "agree_9"}, "is not a known scale"),
        ({**LEARNING, "scale": {"points": 4, "labels": ["a", "b", "c"]}}, ".scale.points is 4"),
        (
            {**LEARNING, "items": [*LEARNING["items"], {"id": "x", "txt": "?"}]},
            "surveys.instruments[0].items[2] has unknown key(s) ['txt']",
        ),
        ({**LEARNING, "items": [LEARNING["items"][0], LEARNING["items"][0]]}, "repeats an item id"),
        (
            {**LEARNING, "items": [{"id": "Bad Id", "text": "t"}, LEARNING["items"][0]]},
            "must be lower-case",
        ),
        ({**LEARNING, "colour": "red"}, "unknown key(s) ['colour']"),
        (
            {**LEARNING, "items": [{"id": "l_1", "text": "=HYPERLINK(1)"}, LEARNING["items"][0]]},
            "must not start with = + - or @",
        ),
    ],
)
def test_custom_instrument_errors_name_the_setting(config: dict, message: str) -> None:
    with pytest.raises(InstrumentConfigError) as error:
        instrument_from_config(config)
    assert message in str(error.value)


def test_column_mapping_errors_name_the_key() -> None:
    with pytest.raises(ColumnMappingError, match=r"unknown key\(s\) \['teams'\]"):
        ColumnMapping.from_config({"teams": "Team"})
    with pytest.raises(ColumnMappingError, match="more than one role"):
        ColumnMapping.from_config({"team": "Team", "ignore": ["team"]})
    with pytest.raises(ColumnMappingError, match="same item id"):
        ColumnMapping.from_config({"team": "T", "items": {"A": "x_1", "B": "x_1"}})


def test_a_five_point_instrument_reads_its_own_labels(tmp_path) -> None:
    """ "Agree" is 4 on the declared 5-point scale; "6" does not exist on it."""
    instrument = instrument_from_config(LEARNING)
    export = tmp_path / "learning.csv"
    export.write_text("Team,L1,L2\nweb,Agree,Strongly agree\nweb,6,Disagree\n", encoding="utf-8")
    mapping = {"team": "Team", "items": {"L1": "learning_1", "L2": "learning_2"}}
    _, answers, problems = read_survey(export, spec(instrument=instrument, mapping=mapping))
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "L1", "6")]
    export.write_text("Team,L1,L2\nweb,Agree,Strongly agree\n", encoding="utf-8")
    _, answers, problems = read_survey(export, spec(instrument=instrument, mapping=mapping))
    assert problems == []
    assert [(a.item_id, a.answer) for a in answers] == [("learning_1", 4), ("learning_2", 5)]
