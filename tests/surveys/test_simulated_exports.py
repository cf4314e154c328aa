"""The simulated organization's survey exports: clean files import cleanly (CSV labels and XLSX
numbers agree), dirty files show exactly the planted defects, and answers carry realistic team
structure: ICC(1) of person scores around 0.2-0.3."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from survey_files import spec

from connectors.surveys import PSYCHOLOGICAL_SAFETY, WESTRUM, ColumnMapping, Instrument, read_survey
from simulator.generator import generate_org
from simulator.surveys import export_columns, write_survey_exports

INSTRUMENTS = {"westrum": WESTRUM, "psysafe": PSYCHOLOGICAL_SAFETY}


def spec_for(instrument: Instrument, wave: str, closes_on: dt.date, teams: list[str]):
    return spec(
        instrument=instrument,
        wave=wave,
        closes_on=closes_on,
        known_teams=frozenset(teams),
        column_mapping=ColumnMapping.from_config(export_columns(instrument)),
    )


@pytest.fixture(scope="module")
def org_and_exports(tmp_path_factory: pytest.TempPathFactory):
    org = generate_org(seed=5, teams=4, months=7)  # waves 2026-Q2 and 2026-Q3
    return org, write_survey_exports(org, tmp_path_factory.mktemp("org"), seed=5)


def test_exports_per_wave_and_instrument(org_and_exports) -> None:
    _, exports = org_and_exports
    assert sorted({(e.wave, e.closes_on) for e in exports}) == [
        ("2026-Q2", dt.date(2026, 6, 30)),
        ("2026-Q3", dt.date(2026, 9, 30)),
    ]
    assert len(exports) == 2 * 2 * 3
    assert {e.path.name for e in exports if e.wave == "2026-Q3" and e.instrument == "westrum"} == {
        "2026-Q3_westrum.csv",
        "2026-Q3_westrum.xlsx",
        "2026-Q3_westrum_dirty.csv",
    }


def test_clean_csv_and_xlsx_import_to_the_same_answers(org_and_exports) -> None:
    org, exports = org_and_exports
    teams = [t.name for t in org.teams]
    for e in exports:
        if e.kind != "labels_csv":
            continue
        survey = spec_for(INSTRUMENTS[e.instrument], e.wave, e.closes_on, teams)
        wave, from_csv, problems = read_survey(e.path, survey)
        assert problems == []
        _, from_xlsx, problems = read_survey(e.path.with_suffix(".xlsx"), survey)
        assert problems == []
        assert from_csv == from_xlsx
        members = sum(len(t.members) for t in org.teams)
        assert 0.6 * members <= wave.respondents <= members  # response rate 85 %
        assert {a.team for a in from_csv} <= set(teams)


def test_dirty_exports_show_exactly_the_planted_defects(org_and_exports) -> None:
    org, exports = org_and_exports
    teams = [t.name for t in org.teams]
    for e in exports:
        if e.kind != "dirty_csv":
            continue
        survey = spec_for(INSTRUMENTS[e.instrument], e.wave, e.closes_on, teams)
        _, answers, problems = read_survey(e.path, survey)
        assert answers == []
        assert sorted((p.row, p.column) for p in problems) == sorted(
            (d.row, d.column) for d in e.defects
        )
        assert len(e.defects) == 5


def test_exports_contain_the_identity_columns_the_import_must_drop(org_and_exports) -> None:
    org, exports = org_and_exports
    text = next(e.path for e in exports if e.kind == "labels_csv").read_text(encoding="utf-8-sig")
    assert text.startswith("Response ID,Submitted,Name,E-mail,Team,")
    emails = [p.email for p in org.people.values() if p.team is not None]
    assert any(email in text for email in emails)


def test_same_seed_same_files(tmp_path: Path) -> None:
    teams = [SimpleNamespace(name="web", members=6, psychological_safety=0.2, westrum=0.1)]
    waves = [("2026-Q3", dt.date(2026, 9, 30))]

    def csv_files(folder: str, seed: int) -> list[bytes]:
        # XLSX files embed their creation time, so only the CSV files are compared byte for byte.
        exports = write_survey_exports(teams, tmp_path / folder, seed=seed, waves=waves)
        return [e.path.read_bytes() for e in exports if e.path.suffix == ".csv"]

    assert csv_files("a", seed=9) == csv_files("b", seed=9)
    assert csv_files("a", seed=9) != csv_files("c", seed=10)


def icc1(scores: dict[str, list[float]]) -> float:
    """One-way ANOVA ICC(1) = (MSB - MSW) / (MSB + (k0 - 1) MSW), k0 for unequal team sizes
    (Bliese 2000; reference/instruments.md §4.2)."""
    groups = [np.array(values) for values in scores.values()]
    sizes = np.array([len(g) for g in groups])
    n, g = sizes.sum(), len(groups)
    grand = np.concatenate(groups).mean()
    msb = sum(len(x) * (x.mean() - grand) ** 2 for x in groups) / (g - 1)
    msw = sum(((x - x.mean()) ** 2).sum() for x in groups) / (n - g)
    k0 = (n - (sizes**2).sum() / n) / (g - 1)
    return (msb - msw) / (msb + (k0 - 1) * msw)


def test_team_structure_is_realistic(tmp_path: Path) -> None:
    """150 teams of 8 (about 7 respond): ICC(1) of person scores in 0.18-0.32 for both
    instruments (model value ~0.23, see simulator/survey_responses.py), and team means track the
    latent culture."""
    rng = np.random.default_rng(2024)
    teams = [
        SimpleNamespace(
            name=f"team-{i}", members=8, psychological_safety=rng.normal(), westrum=rng.normal()
        )
        for i in range(150)
    ]
    waves = [("2026-Q3", dt.date(2026, 9, 30))]
    exports = write_survey_exports(teams, tmp_path, seed=1, waves=waves)
    for e in (e for e in exports if e.kind == "labels_csv"):
        instrument = INSTRUMENTS[e.instrument]
        _, answers, problems = read_survey(
            e.path, spec_for(instrument, e.wave, e.closes_on, [t.name for t in teams])
        )
        assert problems == []
        reverse = {item.item_id for item in instrument.items if item.reverse_scored}
        person: dict[tuple[str, str], list[int]] = defaultdict(list)
        for a in answers:
            if a.answer is not None:
                person[a.team, a.respondent_key].append(
                    8 - a.answer if a.item_id in reverse else a.answer
                )
        by_team: dict[str, list[float]] = defaultdict(list)
        for (team, _), codes in person.items():
            by_team[team].append(float(np.mean(codes)))
        assert 0.18 <= icc1(by_team) <= 0.32, (e.instrument, icc1(by_team))
        latent = "westrum" if e.instrument == "westrum" else "psychological_safety"
        truth = [getattr(t, latent) for t in teams if t.name in by_team]
        means = [np.mean(by_team[t.name]) for t in teams if t.name in by_team]
        assert np.corrcoef(truth, means)[0, 1] > 0.6
