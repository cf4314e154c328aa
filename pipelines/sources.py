"""Every source Candor can read, registered once: a new source adds one line here (its
`IngestSource`, see docs/adding-a-source.md). Only the sources candor.yaml declares get an
ingest asset; the raw tables of the others stay empty, so their staging models return no rows."""

from __future__ import annotations

from pipelines.config import CandorConfig
from pipelines.github.source import GITHUB
from pipelines.gitlab.source import GITLAB
from pipelines.pagerduty.source import PAGERDUTY
from pipelines.shared.ingest_source import IngestSource

SOURCES: tuple[IngestSource, ...] = (GITHUB, GITLAB, PAGERDUTY)


def configured_sources(config: CandorConfig) -> list[IngestSource]:
    """The registered sources that `config` declares under `sources:`."""
    return [source for source in SOURCES if source.configured(config)]
