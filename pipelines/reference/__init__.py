"""Dagster definitions that write the team reference (meta.*) from candor.yaml."""
