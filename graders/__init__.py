"""Grading deliverables: rubric grading and the pairwise autograder.

- ``checks``: deciding rubric items from the files alone (the ``core.checks`` vocabulary);
- ``automap``: unambiguous GDPval criteria turned into checks (conservative patterns);
- ``rubric``: a submission scored against its task's rubric (checks, then an LLM judge);
- ``pairwise``: a submission judged against a reference in both orders;
- ``judge``: the judge role (one model client, bounded concurrency, calls recorded);
- ``digest`` and ``fence``: what a judge reads, and how untrusted text is fenced;
- ``batch``: grading a whole run, with summaries for the CLI.

Imports ``core`` only (never ``runner``); results go to the store through
``core.store.grades`` and ``core.store.comparisons``.
"""
