"""Dagster definitions for GitHub ingestion."""
