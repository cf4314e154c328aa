"""Dagster definitions for culture surveys: import, scores, drop-folder sensor, checks."""
