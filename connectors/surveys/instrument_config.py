"""Custom instruments declared in candor.yaml, built from plain dicts.

Shape (one entry of `surveys.instruments`):

    id: learning
    title: Team learning behaviour
    scale: agree_5        # agree_7, agree_5, or {points: 5, labels: [...], missing_labels: [...]}
    items:
      - {id: learning_1, text: "We regularly take time to figure out ...", reverse: false}

A changed instrument (other items, scale or reverse flags) is a new instrument with a new id:
answers of different variants are never pooled (reference/instruments.md §1.2, §2.2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from connectors.surveys.instruments import (
    AGREE_5,
    AGREE_7,
    BUILTIN_INSTRUMENTS,
    NA_LABELS,
    Instrument,
    Item,
    Scale,
)

NAMED_SCALES = {"agree_7": AGREE_7, "agree_5": AGREE_5}


class InstrumentConfigError(ValueError):
    """A custom instrument in candor.yaml is malformed; the message names the setting."""


def _keys(where: str, value: Any, allowed: set[str], required: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InstrumentConfigError(f"{where} must be a mapping with keys {sorted(allowed)}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise InstrumentConfigError(
            f"{where} has unknown key(s) {unknown}; allowed: {sorted(allowed)}"
        )
    missing = sorted(required - set(value))
    if missing:
        raise InstrumentConfigError(f"{where} is missing {missing}")
    return value


def _strings(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InstrumentConfigError(f"{where} must be a list of non-empty texts")
    return tuple(v.strip() for v in value)


def scale_from_config(where: str, value: Any) -> Scale:
    """A named scale (agree_7, agree_5) or {labels, points?, missing_labels?}."""
    if isinstance(value, str):
        if value not in NAMED_SCALES:
            raise InstrumentConfigError(
                f"{where} '{value}' is not a known scale; use one of {sorted(NAMED_SCALES)} or "
                "a mapping with labels"
            )
        return NAMED_SCALES[value]
    spec = _keys(where, value, {"points", "labels", "missing_labels"}, {"labels"})
    labels = _strings(f"{where}.labels", spec["labels"])
    points = spec.get("points", len(labels))
    if points != len(labels):
        raise InstrumentConfigError(
            f"{where}.points is {points} but {len(labels)} labels are listed; "
            "give one label per point"
        )
    missing = _strings(f"{where}.missing_labels", spec.get("missing_labels", list(NA_LABELS)))
    try:
        return Scale(labels, missing)
    except ValueError as exc:
        raise InstrumentConfigError(f"{where}: {exc}") from None


def item_from_config(where: str, value: Any) -> Item:
    spec = _keys(where, value, {"id", "text", "reverse"}, {"id", "text"})
    reverse = spec.get("reverse", False)
    if not isinstance(reverse, bool):
        raise InstrumentConfigError(f"{where}.reverse must be true or false")
    if not isinstance(spec["id"], str) or not isinstance(spec["text"], str):
        raise InstrumentConfigError(f"{where}.id and {where}.text must be texts")
    return Item(spec["id"].strip(), " ".join(spec["text"].split()), reverse)


def instrument_from_config(value: Any, where: str = "surveys.instruments[0]") -> Instrument:
    """Build one custom instrument; raises InstrumentConfigError naming the bad setting."""
    spec = _keys(where, value, {"id", "title", "scale", "items"}, {"id", "scale", "items"})
    instrument_id = spec["id"]
    if instrument_id in BUILTIN_INSTRUMENTS:
        raise InstrumentConfigError(
            f"{where}.id '{instrument_id}' is a built-in instrument; give the custom one its own id"
        )
    if not isinstance(spec["items"], list):
        raise InstrumentConfigError(f"{where}.items must be a list of {{id, text, reverse}}")
    items = tuple(
        item_from_config(f"{where}.items[{index}]", item)
        for index, item in enumerate(spec["items"])
    )
    try:
        return Instrument(
            instrument_id=str(instrument_id),
            title=str(spec.get("title", instrument_id)),
            items=items,
            scale=scale_from_config(f"{where}.scale", spec["scale"]),
        )
    except InstrumentConfigError:
        raise
    except ValueError as exc:
        raise InstrumentConfigError(f"{where}: {exc}") from None


def instruments_from_config(custom: Iterable[Any] = ()) -> dict[str, Instrument]:
    """Built-in instruments plus the custom ones, by id; custom ids must be unique."""
    instruments = dict(BUILTIN_INSTRUMENTS)
    for index, value in enumerate(custom):
        instrument = instrument_from_config(value, f"surveys.instruments[{index}]")
        if instrument.instrument_id in instruments:
            raise InstrumentConfigError(
                f"surveys.instruments[{index}].id '{instrument.instrument_id}' is declared twice"
            )
        instruments[instrument.instrument_id] = instrument
    return instruments
