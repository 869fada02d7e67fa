"""Statistics for reports: win rates with honest intervals, Bradley-Terry ratings,
agreement between judges, rubric and cost summaries.

Pure numpy/scipy on arrays and small frames; the aggregates that feed them are computed
in DuckDB by ``core.store.judgment_queries`` and friends. Nothing here touches the store.
"""
