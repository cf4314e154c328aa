"""Culture vs delivery: the statistics that relate team culture to DORA outcomes (DESIGN §6).

Reads the team-wave panel (marts.culture_vs_delivery), fits one model per outcome with team
clustering and the within/between split, the mediation paths through learning behaviour with a
team-resampling bootstrap, and writes analysis.model_results and analysis.mediation_results.
Plain Python on DataFrames; no Dagster. Methods and their reasons: docs/analysis.md.
"""
