"""Turn one answer cell into a scale code 1..points, None (no answer), or a rejection.

Accepted: whole numbers 1..points (XLSX numbers, or text such as "5" or "5.0"), the scale's
labels and its missing-answer labels (case-, whitespace- and apostrophe-insensitive), and empty
cells (no answer). Everything else is rejected with a reason, never guessed: a 5-point file read
as 7 points, or a label from another scale, must not turn into plausible numbers.
"""

from __future__ import annotations

import datetime as dt
import re

from connectors.surveys.instruments import Scale
from connectors.surveys.problems import looks_like_formula

WHOLE_NUMBER = re.compile(r"^\d+(?:\.0+)?$")
NUMBER = re.compile(r"^\d*\.\d+$")


class AnswerRejected(ValueError):
    """The cell is not an answer on the declared scale; str(exc) says why."""


def answer_code(value: object, scale: Scale) -> int | None:
    """The scale code of a cell, None for no answer; raises AnswerRejected."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise AnswerRejected("TRUE/FALSE is not an answer")
    if isinstance(value, dt.date | dt.time | dt.datetime):
        raise AnswerRejected("a date or time is not an answer (did the spreadsheet convert it?)")
    if isinstance(value, int | float):
        return _in_range(value, scale)
    text = str(value).strip()
    if not text:
        return None
    if WHOLE_NUMBER.match(text) or NUMBER.match(text):
        return _in_range(float(text), scale)
    code = scale.code_of(text)
    if code is not None:
        return code
    if scale.means_missing(text):
        return None
    if looks_like_formula(text):
        raise AnswerRejected("text that a spreadsheet would run as a formula is not an answer")
    raise AnswerRejected(f"not a label of the {scale.points}-point scale")


def _in_range(number: float, scale: Scale) -> int:
    if number != int(number):
        raise AnswerRejected("not a whole number")
    if not 1 <= number <= scale.points:
        raise AnswerRejected(f"outside the {scale.points}-point scale 1-{scale.points}")
    return int(number)
