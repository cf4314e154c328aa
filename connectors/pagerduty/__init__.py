"""PagerDuty REST API v2: services, incidents and their log entries, read incrementally with
the `pagerduty` client (docs/configuration.md, sources.pagerduty)."""
