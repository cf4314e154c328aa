"""Read survey answers from the warehouse as one keyed matrix per instrument and wave.

Reads only raw.survey_answers, raw.survey_waves and meta.survey_items (written by the survey
import). Items are keyed here: reverse-scored items are turned around, so everything downstream
works on "higher = more of the construct".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from models.culture.scoring import keyed_items

SQL_DIR = Path(__file__).parent / "sql"


@dataclass(frozen=True)
class WaveBlock:
    """All respondents of one instrument in one wave.

    `keyed` is respondents x items (questionnaire order), reverse-scored items already turned
    around, NaN for a missing answer; `teams[i]` is the team of row i.
    """

    instrument: str
    wave: str
    closes_on: dt.date | None
    item_ids: tuple[str, ...]
    scale_points: int
    teams: np.ndarray
    keyed: np.ndarray

    def team_rows(self, team: str) -> np.ndarray:
        return self.teams == team


@dataclass(frozen=True)
class InstrumentItems:
    item_ids: tuple[str, ...]
    reverse: np.ndarray
    scale_points: int


def _read(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    try:
        return con.execute((SQL_DIR / name).read_text()).df()
    except duckdb.CatalogException as exc:
        raise ValueError(
            f"models/culture/sql/{name}: the survey tables are missing ({exc}); apply the "
            "warehouse migrations (warehouse/migrations/002_surveys.sql) first"
        ) from exc


def load_items(con: duckdb.DuckDBPyConnection) -> dict[str, InstrumentItems]:
    """Items per instrument; every item of an instrument must share one scale."""
    items = _read(con, "survey_items.sql")
    result: dict[str, InstrumentItems] = {}
    for instrument, group in items.groupby("instrument", sort=True):
        scales = sorted(set(group["scale_points"].astype(int)))
        if len(scales) != 1:
            raise ValueError(
                f"meta.survey_items: instrument '{instrument}' mixes scales {scales}; declare one "
                "scale per instrument (a different scale is a different instrument)"
            )
        result[str(instrument)] = InstrumentItems(
            item_ids=tuple(group["item_id"].astype(str)),
            reverse=group["reverse_scored"].to_numpy(dtype=bool),
            scale_points=scales[0],
        )
    return result


def load_blocks(con: duckdb.DuckDBPyConnection) -> list[WaveBlock]:
    """One WaveBlock per (instrument, wave) present in raw.survey_answers."""
    items = load_items(con)
    answers = _read(con, "survey_answers.sql")
    blocks = []
    for (instrument, wave), group in answers.groupby(["instrument", "wave"], sort=True):
        declared = items.get(str(instrument))
        if declared is None:
            raise ValueError(
                f"raw.survey_answers: wave '{wave}' has answers for instrument '{instrument}' "
                "that meta.survey_items does not declare; re-run the survey import"
            )
        blocks.append(_block(str(instrument), str(wave), group, declared))
    return blocks


def _block(instrument: str, wave: str, group: pd.DataFrame, declared: InstrumentItems) -> WaveBlock:
    unknown = sorted(set(group["item_id"].astype(str)) - set(declared.item_ids))
    if unknown:
        raise ValueError(
            f"raw.survey_answers: wave '{wave}', instrument '{instrument}' has item(s) {unknown} "
            "not in meta.survey_items; re-run the survey import"
        )
    repeated = group.duplicated(["team", "respondent_key", "item_id"])
    if repeated.any():
        first = group[repeated].iloc[0]
        raise ValueError(
            f"raw.survey_answers: wave '{wave}', instrument '{instrument}', team '{first.team}' "
            f"has respondent '{first.respondent_key}' answering item '{first.item_id}' twice; "
            "re-run the survey import"
        )
    codes = group["answer"].dropna()
    bad = codes[(codes < 1) | (codes > declared.scale_points)]
    if not bad.empty:
        raise ValueError(
            f"raw.survey_answers: wave '{wave}', instrument '{instrument}' has answer "
            f"{int(bad.iloc[0])} outside 1..{declared.scale_points}; re-run the survey import"
        )
    # A skipped item may be a NULL row or no row at all: reindexing makes both NaN.
    wide = group.pivot(
        index=["team", "respondent_key"], columns="item_id", values="answer"
    ).reindex(columns=list(declared.item_ids))
    closes_on = group["closes_on"].dropna()
    codes_wide = wide.to_numpy(dtype=float, na_value=np.nan)
    return WaveBlock(
        instrument=instrument,
        wave=wave,
        closes_on=pd.Timestamp(closes_on.iloc[0]).date() if not closes_on.empty else None,
        item_ids=declared.item_ids,
        scale_points=declared.scale_points,
        teams=wide.index.get_level_values("team").to_numpy(dtype=str),
        keyed=keyed_items(codes_wide, declared.reverse, declared.scale_points),
    )
