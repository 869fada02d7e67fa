"""Statistics for reports: win rates with honest intervals, Bradley-Terry ratings,
agreement between judges, rubric and cost summaries.

Pure numpy/scipy on arrays and small frames. The store reads the judgments that count
once, as integer codes (``core.store.judgment_queries``); ``tally`` and ``breakdowns``
count them into the frames the statistics take. Nothing here touches the store.
"""
