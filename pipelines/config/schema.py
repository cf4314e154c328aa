"""The candor.yaml schema (DESIGN §2), validated with pydantic.

Every model forbids unknown keys, so a typo such as `reops:` is reported with its path instead of
being silently ignored. Tokens are never part of the file: a source names the environment
variable that holds its token (`token_env`).
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationInfo, field_validator, model_validator

from pipelines.config.analysis import AnalysisConfig
from pipelines.config.proxy_rules import (
    DEFAULT_BOT_LOGIN_REGEX,
    NearMissRule,
    PostmortemRule,
    ProactiveRule,
    ReviewParticipationRule,
)
from pipelines.config.regex import capture_groups, check_re2
from pipelines.config.schedule import Schedule
from pipelines.config.strict import StrictModel
from pipelines.config.surveys import SurveysConfig
from warehouse.session import DEFAULT_MEMORY_LIMIT, check_memory_limit

DEFAULT_PRODUCTION_ENVIRONMENT = r"(?i)^(production|prod-.+)$"


def _check_regex(value: str) -> str:
    # Validated by DuckDB, the engine that applies every rule (RE2 syntax, linear time).
    return check_re2(value)


def _one_capture_group(value: str, what: str) -> str:
    if capture_groups(value) != 1:
        raise ValueError(f"needs exactly one capture group around {what}")
    return value


Regex = Annotated[str, Field(min_length=1)]


class WarehouseConfig(StrictModel):
    """Where the DuckDB file lives, relative to candor.yaml's folder (`pipelines.config.paths`);
    the environment variable CANDOR_WAREHOUSE overrides `path`. DuckDB lets one process open the
    file while it is written, so writers wait for each other (`warehouse.connection`,
    `warehouse.run_lock`)."""

    path: str = Field(".candor/warehouse.duckdb", min_length=1)
    lock_wait_s: float = Field(120, ge=0, le=86_400)
    """Longest wait of a run's step for another process (`candor sql --live`, a notebook on the
    live file, another writer) to let go of the warehouse file, retried with a growing pause,
    before the step fails naming the process; 0 fails at once."""
    run_wait_s: float = Field(10_800, ge=0, le=86_400)
    """Longest wait of `candor run` or `candor demo` for another run on the same warehouse to
    finish (runs take turns, one writer at a time) before giving up; 0 gives up at once."""
    memory_limit: str = Field(DEFAULT_MEMORY_LIMIT, min_length=1)
    """DuckDB's memory ceiling for a run's queries (e.g. 1GB, 512MiB); past it DuckDB spills
    to a temporary folder beside the warehouse rather than growing. Checked by DuckDB at load."""
    threads: int | None = Field(None, ge=1, le=256)
    """DuckDB worker threads of a run; unset: one per core."""

    @field_validator("memory_limit")
    @classmethod
    def _duckdb_accepts(cls, value: str) -> str:
        return check_memory_limit(value)


class SandboxConfig(StrictModel):
    """Serve the built-in simulated organization on 127.0.0.1 for the run (the demo)."""

    seed: int = 7
    teams: int = Field(6, ge=1, le=1000)  # 1000: 100x the 6-team org of the benchmarks
    months: int = Field(12, ge=1, le=60)
    org: str = "acme"
    rate_limit: int | None = Field(None, ge=1)
    """Requests per hour the simulated API grants (GitHub: 5,000 per user, 15,000 per
    Enterprise Cloud app). Unset: twice an upper bound of a full sync of the simulated
    organization (`simulator.ratelimit.sync_budget`), so the demo backfill fits in one window
    at any size; set it lower to watch rate limiting."""
    latency_ms: int = Field(0, ge=0, le=5000)
    """Added latency per simulated API request (to watch progress, or to test interruptions)."""
    effect_size: float = Field(1.0, ge=-10, le=10)
    """Multiplies every true culture -> delivery coefficient of the simulated organization."""
    null: bool = False
    """Culture has no effect on delivery (those coefficients are 0); behaviour still follows."""
    within_share: float = Field(0.3, ge=0, le=1)
    """Share of the latent culture variance that is within teams, quarter to quarter."""
    ar1: float = Field(0.5, gt=-1, lt=1)
    """Quarter-to-quarter autocorrelation of the within-team part of latent culture."""
    activity: float = Field(1.0, gt=0, le=10)
    """Multiplies the routine PR and direct-push rates (deploys and issues keep theirs)."""


def http_url_or_sandbox(value: str, examples: str) -> str:
    """`value` if it is `sandbox` or an http(s) URL with a host; else an error naming
    `examples`. Without a scheme, a client would take 'github.example.com/api/v3' for a path and
    fail on the first request, after the warehouse was created, naming no key."""
    if value == "sandbox":
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"'{value}' is not an http:// or https:// URL; use {examples}, or "
                         "`sandbox` for the simulated organization")
    return value


class GitHubSource(StrictModel):
    """GitHub or GitHub Enterprise (base_url https://HOST/api/v3). `base_url: sandbox` points
    the connector at the simulated organization started for the run."""

    base_url: str = "https://api.github.com"
    token_env: str = "GITHUB_TOKEN"
    org: str
    max_workers: int = Field(4, ge=1, le=32)
    retry_total: int = Field(8, ge=0, le=20)
    max_rate_limit_wait_s: int = Field(900, ge=0)
    status_repoll_days: float = Field(30, ge=0, le=3650)
    """Finished deployments created within this many days (of the API's clock) have their
    statuses read again on every run, one request each, so that a later `inactive` or a
    `success` after a `failure` is stored as a full refresh would store it; 0 turns it off."""

    @field_validator("base_url")
    @classmethod
    def _http_or_sandbox(cls, value: str) -> str:
        return http_url_or_sandbox(value, "https://api.github.com, https://HOST/api/v3 for "
                                          "GitHub Enterprise Server")


class PagerDutySource(StrictModel):
    """A PagerDuty account (REST API v2). `base_url` is https://api.pagerduty.com (US) or
    https://api.eu.pagerduty.com (EU service region); `base_url: sandbox` reads the simulated
    organization's account, served over https on 127.0.0.1 for the run."""

    base_url: str = "https://api.pagerduty.com"
    token_env: str = "PAGERDUTY_TOKEN"
    account: str = Field("default", min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    """The label every row of this account carries in the warehouse (its sync scope)."""
    ca_bundle: str | None = Field(None, min_length=1)
    """A PEM file of certificate authorities to trust instead of the system's (a TLS-inspecting
    proxy's); certificates are always verified."""
    backfill_days: int = Field(730, ge=1, le=3650)
    """How far back the first sync reads incidents and log entries."""
    retry_total: int = Field(6, ge=0, le=20)
    """Retries of one request after a 429, a 5xx or a lost connection."""
    max_rate_limit_wait_s: int = Field(120, ge=0)
    """Longest wait a 429's Retry-After may ask for; a longer one fails the sync at once."""

    @field_validator("base_url")
    @classmethod
    def _https_or_sandbox(cls, value: str) -> str:
        # The pagerduty client refuses anything but https; say so before the run starts.
        if value == "sandbox":
            return value
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError(
                f"'{value}' is not an https:// URL; use https://api.pagerduty.com, "
                "https://api.eu.pagerduty.com, or `sandbox` for the simulated organization"
            )
        return value.rstrip("/")


class GitLabSource(StrictModel):
    """GitLab.com or a self-hosted GitLab (REST API v4), by its root URL (`https://gitlab.com`,
    `https://gitlab.example.com`; the client appends /api/v4). `url: sandbox` reads the
    simulated organization's GitLab, served on 127.0.0.1 for the run."""

    url: str = "https://gitlab.com"
    token_env: str = "GITLAB_TOKEN"
    max_workers: int = Field(4, ge=1, le=32)
    """Projects fetched side by side."""
    retry_total: int = Field(6, ge=0, le=20)
    """Retries of one request after a 429, a 5xx or a lost connection."""
    max_rate_limit_wait_s: int = Field(120, ge=0)
    """Longest wait a 429 may ask for (Retry-After or RateLimit-Reset); a longer one fails the
    project's sync at once."""

    @field_validator("url")
    @classmethod
    def _http_or_sandbox(cls, value: str) -> str:
        http_url_or_sandbox(value, "https://gitlab.com, the root URL of a self-hosted GitLab "
                                   "(without /api/v4)")
        if value != "sandbox" and urlsplit(value).path.rstrip("/").endswith("/api/v4"):
            raise ValueError(f"'{value}' ends in /api/v4; give GitLab's root URL, without it")
        return value.rstrip("/")


class Sources(StrictModel):
    github: GitHubSource | None = None
    gitlab: GitLabSource | None = None
    pagerduty: PagerDutySource | None = None

    def repository_sources(self) -> list[str]:
        """The configured sources that hold repositories (GitHub, GitLab)."""
        return [name for name in REPOSITORY_SOURCES if getattr(self, name) is not None]


REPOSITORY_SOURCES = ("github", "gitlab")
"""The sources whose scopes are repositories (GitLab: projects), listed under teams[].repos."""


MEMBER_SOURCES = ("github", "gitlab", "pagerduty")
"""The systems a team member can have an account name in (`members:` keys)."""


class Member(StrictModel):
    """One person on a team, with their account name in each source they use.

    Rosters count people, not accounts: a member with a GitHub and a GitLab login is one value
    of the review participation vector, whichever system they review in.
    """

    name: str = Field(min_length=1)
    github: str | None = Field(default=None, min_length=1)
    gitlab: str | None = Field(default=None, min_length=1)
    pagerduty: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _an_account(self) -> Member:
        if not any(getattr(self, source) for source in MEMBER_SOURCES):
            raise ValueError(
                f"member '{self.name}' has no account; give at least one of "
                f"{', '.join(MEMBER_SOURCES)}"
            )
        return self

    def accounts(self) -> list[tuple[str, str]]:
        """(source, login) of every account of the member."""
        return [(s, getattr(self, s)) for s in MEMBER_SOURCES if getattr(self, s)]


class TeamMembers(StrictModel):
    """The short form of `members:`: GitHub logins, one person each."""

    github: list[str] = Field(default_factory=list)


class TeamRepos(StrictModel):
    github: list[str] = Field(default_factory=list)
    gitlab: list[str] = Field(default_factory=list)
    """GitLab project paths with their namespace, as in the project's URL: group/project or
    group/subgroup/project."""

    @field_validator("github")
    @classmethod
    def _full_names(cls, repos: list[str]) -> list[str]:
        for repo in repos:
            if repo.count("/") != 1:
                raise ValueError(f"'{repo}' must be a full repository name like 'acme/api'")
        return repos

    @field_validator("gitlab")
    @classmethod
    def _project_paths(cls, repos: list[str]) -> list[str]:
        for repo in repos:
            parts = repo.split("/")
            if len(parts) < 2 or not all(parts):
                raise ValueError(
                    f"'{repo}' must be a GitLab project path with its group, like "
                    "'acme/api' or 'acme/platform/api'")
        return repos

    def of(self, source: str) -> list[str]:
        return list(getattr(self, source))


class TeamServices(StrictModel):
    """The incident-tool services a team owns: their incidents are the team's."""

    pagerduty: list[str] = Field(default_factory=list)

    @field_validator("pagerduty")
    @classmethod
    def _service_ids(cls, services: list[str]) -> list[str]:
        for service in services:
            if not service or not service.isalnum():
                raise ValueError(f"'{service}' is not a PagerDuty service id (e.g. PIJ90N7)")
        twice = sorted({s for s in services if services.count(s) > 1})
        if twice:
            raise ValueError(f"{', '.join(twice)} listed more than once")
        return services


class Team(StrictModel):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.-]*$")
    # A list of people (person-first), or the short form {github: [logins]}.
    members: list[Member] | TeamMembers = Field(default_factory=list)
    repos: TeamRepos = Field(default_factory=TeamRepos)
    services: TeamServices = Field(default_factory=TeamServices)

    @property
    def people(self) -> list[Member]:
        """The roster as people; in the short form each GitHub login is one person."""
        if isinstance(self.members, TeamMembers):
            return [Member(name=login, github=login) for login in self.members.github]
        return list(self.members)

    @model_validator(mode="after")
    def _each_person_and_account_once(self) -> Team:
        people = self.people
        names = [person.name for person in people]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"members: {', '.join(map(repr, twice))} listed more than once")
        accounts = [account for person in people for account in person.accounts()]
        shared = sorted({a for a in accounts if accounts.count(a) > 1})
        if shared:
            listed = ", ".join(f"{source} login {login!r}" for source, login in shared)
            raise ValueError(f"members: {listed} belongs to more than one member")
        return self



class EnvironmentSignal(StrictModel):
    """Deployments come from GitHub's Deployments API: a deployment to an environment that
    matches the production rule, finished at its first `success` status (the default)."""

    signal: Literal["environment"] = "environment"


class WorkflowSignal(StrictModel):
    """Deployments are GitHub Actions runs of a deploy workflow (docs/metrics.md).

    A completed run with conclusion `success` is a deployment of its `head_sha`, finished at
    the run's `updated_at`; `failure`, `timed_out` and `startup_failure` are failed attempts;
    `cancelled`, `skipped` and the others are ignored."""

    signal: Literal["workflow"]
    workflow_regex: Regex
    """RE2 pattern searched in the run's workflow name and in its workflow file path; a run
    matching either is a deploy run."""
    branch: str | None = Field(None, min_length=1)
    """Only runs on this branch (`head_branch`) count; None: any branch."""

    _regex = field_validator("workflow_regex")(_check_regex)


DEFAULT_RELEASE_TAG = r"^v?[0-9]+(\.[0-9]+)*$"


class ReleaseSignal(StrictModel):
    """Deployments are published GitHub releases (docs/metrics.md): a release that is neither a
    draft nor a prerelease, whose tag matches `tag_regex`, deploys the tag's commit, finished
    at `published_at`. Releases have no failed attempts."""

    signal: Literal["release"]
    tag_regex: Regex = DEFAULT_RELEASE_TAG

    _regex = field_validator("tag_regex")(_check_regex)


AnySignal = EnvironmentSignal | WorkflowSignal | ReleaseSignal
DeploymentSignal = Annotated[AnySignal, Field(discriminator="signal")]


class RepoRule(StrictModel):
    """Per-repository overrides: the production environment rule and where deployments come
    from (`deployments.signal`: environment, workflow or release)."""

    production_environment: Regex | None = None
    deployments: DeploymentSignal = Field(default_factory=EnvironmentSignal)

    _regex = field_validator("production_environment")(_check_regex)


class HotfixRule(StrictModel):
    labels: list[str] = Field(default_factory=lambda: ["hotfix"])
    head_branch_regex: Regex = r"(?i)^hotfix/"

    _regex = field_validator("head_branch_regex")(_check_regex)


class RevertRule(StrictModel):
    title_regex: Regex = r"^Revert "
    message_regex: Regex = r"This reverts commit ([0-9a-f]{7,40})"
    # GitHub's "Revert" button writes "Reverts owner/repo#N" into the new pull request's body.
    body_regex: Regex = r"\bReverts (?:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?#([0-9]{1,9})\b"

    _regex = field_validator("title_regex", "message_regex", "body_regex")(_check_regex)

    @field_validator("message_regex")
    @classmethod
    def _one_sha_group(cls, value: str) -> str:
        # The models read the reverted sha from capture group 1.
        return _one_capture_group(value, "the reverted sha")

    @field_validator("body_regex")
    @classmethod
    def _one_number_group(cls, value: str) -> str:
        # The models read the reverted pull request's number from capture group 1.
        return _one_capture_group(value, "the reverted pull request's number")


class IncidentRule(StrictModel):
    labels: list[str] = Field(default_factory=lambda: ["incident"])


class Rules(StrictModel):
    """Metric rules: what counts as production, hotfix, revert, incident (docs/metrics.md)."""

    production_environment: Regex = DEFAULT_PRODUCTION_ENVIRONMENT
    repo_rules: dict[str, RepoRule] = Field(default_factory=dict)
    hotfix: HotfixRule = Field(default_factory=HotfixRule)
    revert: RevertRule = Field(default_factory=RevertRule)
    incident: IncidentRule = Field(default_factory=IncidentRule)
    incident_link_window_hours: float = Field(24, gt=0, le=24 * 14)
    # A nightly job that missed one night is late, two nights stale.
    stale_after_hours: float = Field(48, gt=0)
    benchmark_year: int = 2024
    anonymity_minimum: int = Field(5, ge=3)
    # behavioural proxies (pipelines/config/proxy_rules.py; docs/metrics.md)
    near_miss: NearMissRule = Field(default_factory=NearMissRule)
    proactive: ProactiveRule = Field(default_factory=ProactiveRule)
    postmortem: PostmortemRule = Field(default_factory=PostmortemRule)
    review_participation: ReviewParticipationRule = Field(
        default_factory=ReviewParticipationRule
    )
    bot_login_regex: Regex = DEFAULT_BOT_LOGIN_REGEX

    _regex = field_validator("production_environment", "bot_login_regex")(_check_regex)

    @field_validator("benchmark_year")
    @classmethod
    def _known_year(cls, year: int) -> int:
        if year not in (2021, 2023, 2024):
            raise ValueError("must be one of the DORA report years with tiers: 2021, 2023, 2024")
        return year


class CandorConfig(StrictModel):
    warehouse: WarehouseConfig = Field(default_factory=WarehouseConfig)
    sandbox: SandboxConfig | None = None
    sources: Sources = Field(default_factory=Sources)
    # With `sandbox:`, teams may be omitted: they come from the simulated organization.
    teams: list[Team] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)
    schedule: Schedule = Field(default_factory=Schedule)
    surveys: SurveysConfig | None = None
    analysis: AnalysisConfig = Field(default_factory=AnalysisConfig)

    @field_validator("teams")
    @classmethod
    def _repositories_where_a_source_reads_them(
        cls, teams: list[Team], info: ValidationInfo
    ) -> list[Team]:
        # Every delivery mart is built from a team's repositories: with GitHub configured, a
        # team without one would be missing from them all, silently, while its survey scores
        # still showed. Without a repository source (survey-only), teams need none, and
        # repositories listed for a source that is not configured would never be read.
        if "sources" not in info.data:
            return teams  # `sources:` is invalid: its own error says why
        configured = info.data["sources"].repository_sources()
        for position, team in enumerate(teams):
            if configured and not any(team.repos.of(source) for source in configured):
                listed = " or ".join(f"repos.{source}" for source in configured)
                raise ValueError(
                    f"team '{team.name}' (teams[{position}]) has no repositories; list them "
                    f"under {listed}, or remove the team"
                )
            for source in REPOSITORY_SOURCES:
                if source not in configured and team.repos.of(source):
                    raise ValueError(
                        f"team '{team.name}' (teams[{position}]) lists repos.{source} but "
                        f"candor.yaml has no `sources.{source}:` section; add one or remove "
                        "the repositories"
                    )
        return teams

    @model_validator(mode="after")
    def _consistent(self) -> CandorConfig:
        if not self.teams and self.sandbox is None:
            raise ValueError("`teams:` is missing or empty; declare at least one team")
        names = [t.name for t in self.teams]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"team names must be unique; repeated: {', '.join(dupes)}")
        owners: dict[tuple[str, str], str] = {}
        for team in self.teams:
            for source in REPOSITORY_SOURCES:
                for repo in team.repos.of(source):
                    if (source, repo) in owners:
                        raise ValueError(
                            f"{source} repository '{repo}' is listed under teams "
                            f"'{owners[source, repo]}' and '{team.name}'; a repository belongs "
                            "to one team (no double counting)"
                        )
                    owners[source, repo] = team.name
        unknown = sorted(set(self.rules.repo_rules) - {repo for _, repo in owners})
        if unknown:
            names = ", ".join(unknown)
            raise ValueError(f"rules.repo_rules names repositories no team owns: {names}")
        github = self.sources.github
        if github and github.base_url == "sandbox" and self.sandbox is None:
            raise ValueError("sources.github.base_url is 'sandbox' but `sandbox:` is missing")
        for (source, repo), team in owners.items():
            rule = self.rules.repo_rules.get(repo)
            if source == "gitlab" and rule is not None and rule.deployments.signal != "environment":
                raise ValueError(
                    f"rules.repo_rules.{repo}.deployments is {rule.deployments.signal!r}, but "
                    f"'{repo}' is a GitLab project of team '{team}': GitLab projects deploy "
                    "through GitLab's deployments (signal environment)")
        gitlab = self.sources.gitlab
        if gitlab and gitlab.url == "sandbox" and self.sandbox is None:
            raise ValueError("sources.gitlab.url is 'sandbox' but `sandbox:` is missing")
        pagerduty = self.sources.pagerduty
        if pagerduty and pagerduty.base_url == "sandbox" and self.sandbox is None:
            raise ValueError("sources.pagerduty.base_url is 'sandbox' but `sandbox:` is missing")
        service_owners: dict[str, str] = {}
        for position, team in enumerate(self.teams):
            if team.services.pagerduty and pagerduty is None:
                raise ValueError(
                    f"team '{team.name}' (teams[{position}]) lists services.pagerduty but "
                    "candor.yaml has no `sources.pagerduty:` section; add one or remove the "
                    "services"
                )
            for service in team.services.pagerduty:
                if service in service_owners:
                    raise ValueError(
                        f"PagerDuty service '{service}' is listed under teams "
                        f"'{service_owners[service]}' and '{team.name}'; a service belongs to "
                        "one team (its incidents would count twice)"
                    )
                service_owners[service] = team.name
        return self

    def pagerduty_services(self) -> list[tuple[str, str]]:
        """(team, service id) for every PagerDuty service a team owns."""
        return [(t.name, s) for t in self.teams for s in t.services.pagerduty]

    def production_environment_for(self, repo: str) -> str:
        rule = self.rules.repo_rules.get(repo)
        if rule is None or rule.production_environment is None:
            return self.rules.production_environment
        return rule.production_environment

    def deployment_signal_for(self, repo: str) -> AnySignal:
        """Where the deployments of `repo` come from (rules.repo_rules.<repo>.deployments)."""
        rule = self.rules.repo_rules.get(repo)
        return rule.deployments if rule else EnvironmentSignal()

    def github_repos(self) -> list[tuple[str, str]]:
        """(team, repo) for every GitHub repository, in config order."""
        return [(t.name, r) for t in self.teams for r in t.repos.github]

    def gitlab_repos(self) -> list[tuple[str, str]]:
        """(team, project path) for every GitLab project, in config order."""
        return [(t.name, r) for t in self.teams for r in t.repos.gitlab]
