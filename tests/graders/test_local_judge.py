"""The default judge for real: grading offline with the embedded SmolLM2 model.

SmolLM2-135M is a smoke-test judge, not a good one, so this asserts that the whole path
works (bounded prompts fit its context, answers parse, calls are recorded), not what it
decides. Marked ``local_model``; skipped with a reason when the model is not installed.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from core.store.grades import get_grade
from graders import rubric
from graders.batch import grade_run_pairwise, grade_run_rubric
from graders.judge import DEFAULT_JUDGE, open_judge
from tests.graders.conftest import add_submission, add_task
from tests.graders.makers import make_docx
from tests.support.local_model import LOCAL_MODEL_MARKS

pytestmark = LOCAL_MODEL_MARKS


def test_default_local_judge_grades_offline(store, tmp_path: Path) -> None:
    add_task(store, tmp_path / "suite", {
        "id": "memo", "prompt": "Write a short memo on Q3 margins.",
        "rubric": [{"rubric_item_id": "a", "score": 2,
                    "criterion": "The memo states that the Q3 margin was 12%."}]},
        gold={"memo.docx": lambda p: make_docx(p, title="Q3 margins", tables=0,
                                               paragraphs=["Q3 margin was 12%."])})
    (tmp_path / "c").mkdir()
    add_submission(store, "r1", "openai/gpt-test", "memo", 0,
                   [make_docx(tmp_path / "c" / "memo.docx", title="Memo", tables=0,
                              paragraphs=["Margins are TBD."])])

    async def main() -> tuple:
        async with open_judge(store, None) as judge:
            t0 = time.monotonic()
            r = await grade_run_rubric(store, judge, "r1")
            t1 = time.monotonic()
            p = await grade_run_pairwise(store, judge, "r1")
            print(f"\nlocal judge: rubric item {t1 - t0:.1f}s, pair (2 calls) "
                  f"{time.monotonic() - t1:.1f}s")
            return r, p

    r, p = asyncio.run(main())
    assert r.graded + r.partial + r.ungraded == 1 and p.graded + p.ungraded == 1
    grade, [item] = get_grade(store, "r1", "memo", 0, DEFAULT_JUDGE, rubric.GRADER_VERSION)
    assert item.method == "judge"
    assert (item.met is None) == (item.error is not None)  # decided, or honestly ungraded
    assert item.met is None or item.call_id  # a decision always names its call
    calls = store.query("SELECT purpose FROM model_calls")
    purposes = [c["purpose"] for c in calls]
    assert purposes.count("judge-rubric") >= 1 and purposes.count("judge-pairwise") >= 2
