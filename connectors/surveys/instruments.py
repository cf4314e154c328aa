"""Survey instruments: items, their response scale, and the two built-in instruments.

Facts and wording: reference/instruments.md. Westrum is DORA's "variant B" (team referent, the
dora.dev capability page); Edmondson's team psychological safety keeps the original three
reverse-keyed items. Answers are stored as raw scale codes 1..points; scoring (reverse keying,
means) happens in models/culture, never here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from connectors.surveys.problems import looks_like_formula, spreadsheet_safe

ITEM_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

AGREE_7_LABELS = (
    "Strongly disagree",
    "Disagree",
    "Somewhat disagree",
    "Neither agree nor disagree",
    "Somewhat agree",
    "Agree",
    "Strongly agree",
)
AGREE_5_LABELS = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)
# Answers that mean "no answer" in DORA Core and other DORA blocks, plus common export spellings.
NA_LABELS = (
    "Prefer not to answer",
    "Prefer not to answer or NA",
    "I don't know",
    "I don't know or NA",
    "Don't know",
    "NA",
    "N/A",
    "Not applicable",
)


def normalize_label(text: str) -> str:
    """Case-, whitespace- and apostrophe-insensitive form of a label.

    "I Don\u2019t  KNOW" (typographic apostrophe, double space) matches "I don't know".
    """
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def _refuse_formulas(what: str, texts: list[str]) -> None:
    """Texts stored in the warehouse must not start like a spreadsheet formula."""
    for text in texts:
        if looks_like_formula(text):
            raise ValueError(f"{what} '{spreadsheet_safe(text)}' must not start with = + - or @")


@dataclass(frozen=True)
class Scale:
    """Response options coded 1..points: labels[0] is code 1. missing_labels mean "no answer"."""

    labels: tuple[str, ...]
    missing_labels: tuple[str, ...] = NA_LABELS

    def __post_init__(self) -> None:
        if not 2 <= len(self.labels) <= 11:
            raise ValueError(f"a scale needs 2 to 11 labelled points, got {len(self.labels)}")
        answer_keys = [normalize_label(label) for label in self.labels]
        missing_keys = [normalize_label(label) for label in self.missing_labels]
        if len(set(answer_keys)) != len(answer_keys):
            raise ValueError(f"scale labels must differ (ignoring case): {list(self.labels)}")
        clash = sorted(set(answer_keys) & set(missing_keys))
        if clash:
            raise ValueError(f"label(s) {clash} are both an answer and a missing-answer label")
        _refuse_formulas("scale label", [*self.labels, *self.missing_labels])

    @property
    def points(self) -> int:
        return len(self.labels)

    def code_of(self, label: str) -> int | None:
        """Code 1..points of an answer label, or None when `label` is not an answer label."""
        key = normalize_label(label)
        for code, candidate in enumerate(self.labels, start=1):
            if normalize_label(candidate) == key:
                return code
        return None

    def means_missing(self, label: str) -> bool:
        key = normalize_label(label)
        return any(normalize_label(candidate) == key for candidate in self.missing_labels)

    def describe_allowed(self) -> str:
        """What an answer cell may hold, for problem messages."""
        coded = ", ".join(f"{code} {label}" for code, label in enumerate(self.labels, start=1))
        return f"1-{self.points} or a label ({coded}); no answer: empty, " + ", ".join(
            self.missing_labels
        )


@dataclass(frozen=True)
class Item:
    """One question. reverse_scored: agreeing means *less* of the construct (scored A+1-x)."""

    item_id: str
    text: str
    reverse_scored: bool = False


@dataclass(frozen=True)
class Instrument:
    """A questionnaire scored as one construct: its items in questionnaire order and one scale."""

    instrument_id: str
    title: str
    items: tuple[Item, ...]
    scale: Scale

    def __post_init__(self) -> None:
        if not ITEM_ID_PATTERN.match(self.instrument_id):
            raise ValueError(
                f"instrument id '{self.instrument_id}' must be lower-case letters, digits and _"
            )
        if len(self.items) < 2:
            raise ValueError(f"instrument '{self.instrument_id}' needs at least 2 items")
        ids = [item.item_id for item in self.items]
        for item_id in ids:
            if not ITEM_ID_PATTERN.match(item_id):
                raise ValueError(f"item id '{item_id}' must be lower-case letters, digits and _")
        if len(set(ids)) != len(ids):
            raise ValueError(f"instrument '{self.instrument_id}' repeats an item id: {ids}")
        _refuse_formulas("title or item text", [self.title, *(item.text for item in self.items)])

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.item_id for item in self.items)

    def position_of(self, item_id: str) -> int:
        """1-based position of an item in the questionnaire."""
        return self.item_ids.index(item_id) + 1


AGREE_7 = Scale(AGREE_7_LABELS)
AGREE_5 = Scale(AGREE_5_LABELS)

WESTRUM = Instrument(
    instrument_id="westrum",
    title="Westrum organizational culture (DORA wording, team referent)",
    scale=AGREE_7,
    items=(
        Item("westrum_1", "On my team, information is actively sought."),
        Item(
            "westrum_2",
            "Messengers are not punished when they deliver news of failures or other bad news.",
        ),
        Item("westrum_3", "On my team, responsibilities are shared."),
        Item("westrum_4", "On my team, cross-functional collaboration is encouraged and rewarded."),
        Item(
            "westrum_5",
            "On my team, failures are treated primarily as opportunities to improve the system.",
        ),
        Item("westrum_6", "On my team, new ideas are welcomed."),
    ),
)

PSYCHOLOGICAL_SAFETY = Instrument(
    instrument_id="psysafe",
    title="Team psychological safety (Edmondson 1999)",
    scale=AGREE_7,
    items=(
        Item(
            "psysafe_1", "If you make a mistake on this team, it is often held against you.", True
        ),
        Item("psysafe_2", "Members of this team are able to bring up problems and tough issues."),
        Item("psysafe_3", "People on this team sometimes reject others for being different.", True),
        Item("psysafe_4", "It is safe to take a risk on this team."),
        Item("psysafe_5", "It is difficult to ask other members of this team for help.", True),
        Item(
            "psysafe_6",
            "No one on this team would deliberately act in a way that undermines my efforts.",
        ),
        Item(
            "psysafe_7",
            "Working with members of this team, my unique skills and talents are valued and "
            "utilized.",
        ),
    ),
)

BUILTIN_INSTRUMENTS: dict[str, Instrument] = {
    instrument.instrument_id: instrument for instrument in (WESTRUM, PSYCHOLOGICAL_SAFETY)
}
