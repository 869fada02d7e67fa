"""Rubric grading: score one submission against its task's GDPval-style rubric.

Each item is decided by, in order: its explicit check (``task.yaml``), an automatic check
for an unambiguous criterion (:mod:`graders.automap`), or the LLM judge, one item per call,
answering ``{evidence, met}``. A penalty item (negative points) is "met" when its
undesirable condition holds, and then its (negative) points count.

Score rule (also in the README of the grades table):

- every item decided: status ``graded``, score = clip(sum of points of met items / sum of
  positive points, 0, 1);
- some items ungraded (the judge failed, or a check could not be measured): status
  ``partial``, the same formula over the *decided* items only (``points_possible`` is the
  positive points of decided items), ``items_ungraded`` counts the rest. A failure is
  never counted as "not met". Reports should prefer ``graded`` rows;
- no decided item with positive points: status ``ungraded``, score NULL.

Idempotent per (submission, judge, grader version): a ``graded`` grade is skipped, an
incomplete one keeps its decided items and retries only the ungraded ones.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.store.db import Store
from core.store.grades import Grade, ItemResult, get_grade, grade_id_for, save_grade
from core.store.submissions import DeliverableFile
from core.task import RubricItem, Task
from graders.automap import auto_checks
from graders.checks import CheckOutcome, Submission, evaluate, evaluate_all
from graders.digest import DigestFile, clip, digest_text_async, page_images
from graders.fence import Fence
from graders.judge import Judge

PURPOSE = "judge-rubric"

SYSTEM = """You are a meticulous grader. You check ONE rubric criterion against a work \
deliverable that was produced for a client's request.
{fence_rule}
Decide whether the criterion holds for the deliverable as submitted, using only what the \
deliverable contains. If what is needed to decide is missing, the criterion does not hold.
Reply with a JSON object with two fields, in this order: "evidence" (where in the \
deliverable the criterion is or is not satisfied, quoting briefly; at most {note_chars} \
characters), then "met" (true or false)."""

USER = """## The client's request
{prompt}

## The deliverable
{deliverable}
{references}
## The criterion ({points_text})
{criterion}
{penalty_note}
Does the criterion hold for this deliverable? Answer with the JSON object."""

PENALTY_NOTE = """
This item is a PENALTY: the criterion describes a flaw. Answer "met": true if the flaw IS \
present in the deliverable, false if it is not.
"""


def judge_schema(note_chars: int | None) -> dict[str, Any]:
    """``{evidence, met}``, bounded so small models cannot ramble (evidence first)."""
    return {"type": "object", "additionalProperties": False,
            "properties": {"evidence": {"type": "string", **({"maxLength": note_chars}
                                                     if note_chars else {})},
                           "met": {"type": "boolean"}},
            "required": ["evidence", "met"]}


def _version() -> str:
    text = SYSTEM + USER + PENALTY_NOTE + json.dumps(judge_schema(None), sort_keys=True)
    return "rubric-1+" + hashlib.sha256(text.encode()).hexdigest()[:8]


#: Changes whenever the prompts or the answer schema change, so old grades stay apart.
GRADER_VERSION = _version()


@dataclass(frozen=True)
class RubricTarget:
    """One submission to grade: who made it, the task snapshot and the files."""

    run_id: str
    task_id: str
    sample: int
    task: Task
    files: Sequence[DeliverableFile]
    inputs: Sequence[DigestFile] = ()  # the task's reference files, when on disk


@dataclass(frozen=True)
class Score:
    status: str
    score: float | None
    points_met: float | None
    points_possible: float | None
    items_ungraded: int


def score_items(items: Sequence[ItemResult]) -> Score:
    """The grade of a set of item results under the module's score rule."""
    decided = [i for i in items if i.met is not None]
    ungraded = len(items) - len(decided)
    possible = sum(i.points for i in decided if i.points > 0)
    met = sum(i.points for i in decided if i.met)
    if not decided or possible <= 0:
        return Score("ungraded", None, met if decided else None,
                     possible if decided else None, ungraded)
    score = min(1.0, max(0.0, met / possible))
    return Score("graded" if ungraded == 0 else "partial", score, float(met), float(possible),
                 ungraded)


def _check_result(item: RubricItem, sub: Submission) -> ItemResult | None:
    """The item decided by its explicit or auto-mapped check, or None for the judge."""
    if item.check is not None:
        out: CheckOutcome = evaluate(item.check, sub)
        label = f"[check {item.check.kind}]"
    else:
        mapping = auto_checks(item.criterion)
        if mapping is None:
            return None
        out = evaluate_all(mapping.checks, sub)
        label = f"[auto check: {mapping.pattern}]"
    return ItemResult(item.rubric_item_id, item.score, out.met, "check",
                      evidence=f"{label} {out.evidence}", error=out.error)


def needs_references(item: RubricItem, inputs: Sequence[DigestFile]) -> bool:
    """Whether a criterion refers to the reference files ("... in the Population
    reference", "... matches COA.xlsx"): only then does its judge call carry them."""
    text = item.criterion.casefold()
    if "reference" in text or "provided file" in text or "input file" in text:
        return bool(inputs)
    return any(Path(f.name).stem.casefold() in text for f in inputs
               if len(Path(f.name).stem) >= 4)


_VISUAL = re.compile(r"\b(format\w*|styl\w*|layouts?|visual\w*|charts?|graphs?|fonts?|"
                     r"colou?rs?|design\w*|slides?|logos?|images?|tables?|headers?)\b", re.I)


def needs_images(item: RubricItem) -> bool:
    """Whether a criterion is about looks (formatting, charts, layout): only then does its
    judge call carry page images, which cost far more than text."""
    return bool(_VISUAL.search(item.criterion))


@dataclass
class _Material:
    """What judges of one submission may be shown, prepared once per submission.

    One fence (nonce) serves every item of the submission: the deliverable was written
    before the nonce existed, so it cannot forge it either way, and identical system
    prompts and deliverable text across items let a local judge reuse its prompt cache
    (the item's criterion comes last), which makes each further item several times
    cheaper on the embedded model.
    """

    deliverable: str
    references: str | None = None
    images: list[str] = field(default_factory=list)
    fence: Fence = field(default_factory=Fence)


def _judge_messages(task: Task, item: RubricItem, m: _Material, inputs: Sequence[DigestFile],
                    judge: Judge) -> list[dict[str, Any]]:
    fence = m.fence
    b = judge.budget
    points = f"{item.score:+d} points" if item.score < 0 else f"{item.score} points"
    refs = m.references if needs_references(item, inputs) else None
    user = USER.format(
        prompt=clip(task.prompt, b.prompt_chars), points_text=points,
        references="" if refs is None else "\n## Reference files given with the request\n"
        + fence.wrap("REFERENCE FILES", refs) + "\n",
        criterion=item.criterion, penalty_note=PENALTY_NOTE if item.score < 0 else "",
        deliverable=fence.wrap("DELIVERABLE", m.deliverable))
    content: str | list[dict[str, Any]] = user
    if m.images and needs_images(item):
        content = [{"type": "text", "text": user},
                   {"type": "text", "text": "Page images of the deliverable:"},
                   *({"type": "image_url", "image_url": {"url": u}} for u in m.images)]
    return [{"role": "system", "content": SYSTEM.format(fence_rule=fence.rule(),
                                                        note_chars=b.note_chars)},
            {"role": "user", "content": content}]


async def _material(judge: Judge, target: RubricTarget, todo: Sequence[RubricItem]
                    ) -> _Material:
    m = _Material(await digest_text_async(target.files, judge.budget.deliverable_chars))
    if any(needs_references(i, target.inputs) for i in todo):
        m.references = await digest_text_async(target.inputs, judge.budget.reference_chars)
    if judge.accepts_images and judge.budget.image_pages and any(map(needs_images, todo)):
        m.images, notes = await asyncio.to_thread(page_images, target.files,
                                                  judge.budget.image_pages)
        if notes:
            m.deliverable += "\n" + "\n".join(f"[{n}]" for n in notes)
    return m


async def _judge_item(judge: Judge, target: RubricTarget, item: RubricItem,
                      material: _Material) -> ItemResult:
    answer = await judge.ask(
        _judge_messages(target.task, item, material, target.inputs, judge),
        judge_schema(judge.schema_note_chars), purpose=PURPOSE,
        context={"run_id": target.run_id, "task_id": target.task_id,
                 "sample": target.sample, "rubric_item_id": item.rubric_item_id})
    base = {"rubric_item_id": item.rubric_item_id, "points": item.score, "method": "judge",
            "raw_response": answer.raw, "call_id": answer.call_id}
    if not answer.ok or answer.data is None:
        return ItemResult(met=None, error=answer.error, **base)
    met = answer.data.get("met")  # the last field; the evidence is never parsed for it
    if not isinstance(met, bool):
        return ItemResult(met=None, error=f"judge answer has no boolean 'met' ({met!r})",
                          **base)
    evidence = str(answer.data.get("evidence") or "")[: judge.budget.note_chars]
    return ItemResult(met=met, evidence=evidence, **base)


@dataclass
class _Progress:
    """Keeps a partial grade on disk while a long submission is being judged."""

    every_s: float = 15.0
    last: float = field(default_factory=time.monotonic)

    def due(self) -> bool:
        if time.monotonic() - self.last >= self.every_s:
            self.last = time.monotonic()
            return True
        return False


def _grade_row(target: RubricTarget, judge_model: str, items: Sequence[ItemResult],
               raw: dict[str, Any]) -> Grade:
    s = score_items(items)
    errors = sorted({i.error for i in items if i.met is None and i.error})
    return Grade(grade_id_for(target.run_id, target.task_id, target.sample, judge_model,
                              GRADER_VERSION),
                 target.run_id, target.task_id, target.sample, judge_model, GRADER_VERSION,
                 s.status, s.score, s.points_met, s.points_possible, s.items_ungraded,
                 error="; ".join(errors)[:2000] or None, raw=raw)


async def grade_submission(store: Store, judge: Judge, target: RubricTarget, *,
                           warnings: Sequence[str] = ()) -> tuple[Grade, bool]:
    """Grade one submission; returns the grade and whether any work was done.

    Skips a fully graded submission; otherwise keeps decided items, decides the rest and
    saves (periodically while judging, and at the end).
    """
    rubric = target.task.rubric
    prior = get_grade(store, target.run_id, target.task_id, target.sample, judge.model_id,
                      GRADER_VERSION)
    known = {i.rubric_item_id: i for i in prior[1]} if prior else {}
    points = {i.rubric_item_id: i.score for i in rubric}
    if prior and prior[0].status == "graded" and set(points) <= set(known):
        return prior[0], False
    # keep what was decided, unless the item's points changed in the task snapshot since
    results: dict[str, ItemResult] = {
        k: v for k, v in known.items() if v.met is not None and points.get(k) == v.points}

    sub = Submission(list(target.files))
    todo: list[RubricItem] = []
    for item in rubric:
        if item.rubric_item_id in results:
            continue
        decided = await asyncio.to_thread(_check_result, item, sub)
        if decided is None:
            todo.append(item)
        else:
            results[item.rubric_item_id] = decided

    raw: dict[str, Any] = {"warnings": list(warnings), "judge_model": judge.model_id,
                           "deliverable_budget_chars": judge.budget.deliverable_chars,
                           "files": [f.name for f in target.files]}

    def pending() -> list[ItemResult]:
        return [results.get(i.rubric_item_id) or ItemResult(
            i.rubric_item_id, i.score, None, "judge", error="not judged yet")
            for i in rubric]

    if todo:
        material = await _material(judge, target, todo)
        raw["deliverable_truncated"] = "[truncated:" in material.deliverable
        raw["page_images"] = len(material.images)
        save_grade(store, _grade_row(target, judge.model_id, pending(), raw), pending())
        progress = _Progress()
        jobs = [asyncio.ensure_future(_judge_item(judge, target, item, material))
                for item in todo]
        for done in asyncio.as_completed(jobs):
            res = await done
            results[res.rubric_item_id] = res
            if progress.due():
                judge.flush()
                save_grade(store, _grade_row(target, judge.model_id, pending(), raw),
                           pending())
    items = pending()
    grade = _grade_row(target, judge.model_id, items, raw)
    judge.flush()
    save_grade(store, grade, items)
    return grade, True
