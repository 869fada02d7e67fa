"""The graders on the starter suite's own gold deliverables (``occupations/``).

Every explicit check written in a task.yaml must hold on the professional's deliverable
(and no penalty check may fire); the rubric grader, with an oracle judge that knows the
gold is right, must then give the gold 1.0, an empty submission 0.0, and another task's
gold a low score. This is what "gold scores high, a wrong file low" means on real tasks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.store.grades import get_grade
from core.store.tasks import upsert_tasks
from core.suite import load_suite
from core.task import file_type_of
from graders import rubric
from graders.batch import grade_run_rubric
from graders.checks import Submission, evaluate
from tests.graders.conftest import JUDGE, add_submission, fenced_blocks
from tests.support.scripted_server import Reply, last_user_text

SUITE = Path(__file__).resolve().parents[2] / "occupations"
TASKS = load_suite(SUITE).tasks if SUITE.is_dir() else []


class _File:
    def __init__(self, path: Path) -> None:
        self.name, self.path, self.file_type = path.name, path, file_type_of(path.name)


def _gold(lt) -> Submission:
    return Submission([_File(p) for p in lt.gold_paths()])


@pytest.mark.skipif(not TASKS, reason="the starter suite (occupations/) is not present")
def test_every_explicit_check_agrees_with_the_gold() -> None:
    wrong = []
    checked = 0
    for lt in TASKS:
        sub = _gold(lt)
        for item in lt.task.rubric:
            if item.check is None:
                continue
            checked += 1
            out = evaluate(item.check, sub)
            if out.met is not (item.score > 0):
                wrong.append(f"{lt.id}/{item.rubric_item_id} ({item.score:+d}): "
                             f"met={out.met}: {out.evidence}")
    assert checked >= 150
    assert not wrong, "\n".join(wrong)


def _oracle():
    """A judge that knows the answers: on its own task's gold, positive items are met and
    penalties are not; on anything else (no files, another task's files) nothing is met."""
    gold_of = {i.criterion: {p.name for p in lt.gold_paths()}
               for lt in TASKS for i in lt.task.rubric if i.score > 0}

    def respond(request: dict) -> Reply:
        user = last_user_text(request)
        shown = fenced_blocks(request).get("DELIVERABLE", "")
        met = any(c in user and any(f": {n} (" in shown for n in names)
                  for c, names in gold_of.items())
        return Reply.json({"evidence": "oracle", "met": met})
    return respond


@pytest.mark.skipif(not TASKS, reason="the starter suite (occupations/) is not present")
def test_rubric_scores_gold_high_and_empty_or_wrong_low(store, server, grade) -> None:
    upsert_tasks(store, TASKS)
    server.responder = _oracle()
    for i, lt in enumerate(TASKS):  # sample 0: the gold itself; 1: nothing; 2: wrong task
        add_submission(store, "r1", "human/copy", lt.id, 0, lt.gold_paths())
        add_submission(store, "r1", "human/copy", lt.id, 1, [])
        add_submission(store, "r1", "human/copy", lt.id, 2,
                       TASKS[(i + 1) % len(TASKS)].gold_paths())
    summary = grade(grade_run_rubric, "r1", connections=8)
    assert summary.graded == 3 * len(TASKS), summary.skipped
    wrong = []
    for lt in TASKS:
        scores = [get_grade(store, "r1", lt.id, s, JUDGE, rubric.GRADER_VERSION)[0].score
                  for s in range(3)]
        wrong.append(scores[2])
        assert scores[0] == 1.0 and scores[1] == 0.0, (lt.id, scores)
        assert scores[2] <= 0.3, (lt.id, scores)  # only checks can pass on a wrong file
    print(f"\nstarter suite: gold 1.0 x{len(TASKS)}, empty 0.0, another task's gold "
          f"mean {sum(wrong) / len(wrong):.3f} max {max(wrong):.3f}")
