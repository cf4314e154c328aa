"""Culture survey statistics: scoring, reliability, agreement, typology and anonymity.

Public entry point: `build_culture_tables` (docs/culture.md). The pure functions are exported for
the tests, notebooks and the report.
"""

from models.culture.agreement import (
    OneWayIcc,
    icc_oneway,
    mean_item_variance,
    r_star_wg_j,
    rwg_j,
    uniform_null_variance,
)
from models.culture.anonymity import ANONYMITY_FLOOR, check_anonymity_minimum
from models.culture.build import CultureBuildSummary, build_culture_tables
from models.culture.reliability import complete_cases, cronbach_alpha, mcdonald_omega
from models.culture.scoring import (
    DEFAULT_MISSING_RULE,
    MissingItemRule,
    aggregate_team,
    keyed_items,
    person_scores,
    reverse_score,
)
from models.culture.typology import Bands, default_bands, equal_thirds

__all__ = [
    "ANONYMITY_FLOOR",
    "DEFAULT_MISSING_RULE",
    "Bands",
    "CultureBuildSummary",
    "MissingItemRule",
    "OneWayIcc",
    "aggregate_team",
    "build_culture_tables",
    "check_anonymity_minimum",
    "complete_cases",
    "cronbach_alpha",
    "default_bands",
    "equal_thirds",
    "icc_oneway",
    "keyed_items",
    "mcdonald_omega",
    "mean_item_variance",
    "person_scores",
    "r_star_wg_j",
    "reverse_score",
    "rwg_j",
    "uniform_null_variance",
]
