"""Breakdowns (per model, judge kind, sector, occupation, file type) from fine cells.

The judgments are tallied once into *fine cells* keyed by integer codes (model, judge
kind, task: ``core.stats.tally``). Every breakdown is a relabelling of those cells,
because a category is a property of the task (sector, occupation, file types) or of the
judge (kind): per (category, model, task) a cell is a (model, task) cell, or a (model,
kind, task) cell, under its category's name. So a breakdown costs a few ``bincount``
calls over a hundred thousand cells, where a GROUP BY per breakdown over the judgments,
with its joins and string keys, took most of a report's time.

``Breakdowns.of`` yields the two frames the statistics take (``core.stats.winrates`` and
``core.stats.means``): *groups*, one row per (category, model) plus a pooled row per
category over every model (model ``(all models)``), sorted by category then model name;
and *cells*, one row per (category, model, task) and pooled (category, task) with at
least one graded row, names as categoricals, in a fixed order. Counts stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from core.stats.counting import count_by

POOLED = "(all models)"

Arrays = dict[str, NDArray]
IntArray = NDArray[np.int64]

#: Above this many (category, model, judge) combinations, distinct judges are found by
#: hashing instead of marking a dense table.
DENSE_LIMIT = 1 << 24


@dataclass(frozen=True)
class Dimension:
    """One breakdown: sorted category labels, and how a cell finds its categories.

    ``source`` is "all" (one category for every row), "kind" (the row's judge-kind code
    indexes ``labels``) or "task" (the categories of the row's task, in CSR form:
    ``task_cats[task_ptr[t]:task_ptr[t + 1]]``, distinct; a task may have several, e.g.
    two file types, and then counts in each).
    """

    name: str
    labels: tuple[str, ...]
    source: str
    task_ptr: IntArray | None = None
    task_cats: IntArray | None = None

    @classmethod
    def single(cls, name: str, label: str) -> Dimension:
        return cls(name, (label,), "all")

    @classmethod
    def of_kinds(cls, name: str, kinds: list[str]) -> Dimension:
        """Categories are judge kinds; a row's ``kind`` code indexes ``kinds`` (sorted)."""
        return cls(name, tuple(kinds), "kind")

    @classmethod
    def of_tasks(cls, name: str, n_tasks: int, task: NDArray, label: NDArray) -> Dimension:
        """Categories from (task code, label) memberships (repeats are ignored)."""
        labels, cat = np.unique(np.asarray(label, dtype=object).astype(str),
                                return_inverse=True)
        pairs = np.unique(np.asarray(task, dtype=np.int64) * len(labels) + cat)
        task, cat = pairs // max(len(labels), 1), pairs % max(len(labels), 1)
        ptr = np.zeros(n_tasks + 1, dtype=np.int64)
        np.cumsum(np.bincount(task, minlength=n_tasks), out=ptr[1:])
        return cls(name, tuple(labels.tolist()), "task", ptr, cat.astype(np.int64))

    def expand(self, task: NDArray, kind: NDArray | None = None
               ) -> tuple[IntArray | None, IntArray]:
        """(row, category) for every category each row counts in; ``row`` is None when
        each row counts in exactly one category (``category`` is then per row)."""
        task = np.asarray(task, dtype=np.int64)
        if self.source == "all":
            return None, np.zeros(len(task), dtype=np.int64)
        if self.source == "kind":
            if kind is None:
                raise ValueError(f"breakdown {self.name!r} needs judge kinds")
            return None, np.asarray(kind, dtype=np.int64)
        assert self.task_ptr is not None and self.task_cats is not None
        per_task = np.diff(self.task_ptr)
        if len(per_task) and per_task.min() == per_task.max() == 1:   # one category a task
            return None, self.task_cats[task]
        count = per_task[task]
        row = np.repeat(np.arange(len(task), dtype=np.int64), count)
        first = np.repeat(self.task_ptr[task], count)
        offset = np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)
        return row, self.task_cats[first + offset]


@dataclass(frozen=True)
class Measures:
    """What a breakdown sums: integer ``counts`` (the first is ``n``, graded rows) and
    float ``totals``; the order of the group columns; the columns of a cell."""

    counts: tuple[str, ...]
    totals: tuple[str, ...]
    group_columns: tuple[str, ...]
    cell_columns: tuple[str, ...]


WINS = Measures(counts=("n", "wins", "ties", "losses", "n_ungraded"), totals=(),
                group_columns=("n", "wins", "ties", "losses", "n_ungraded", "n_tasks",
                               "n_judges"),
                cell_columns=("n", "wins", "ties"))
RUBRIC = Measures(counts=("n", "n_ungraded"), totals=("total",),
                  group_columns=("n", "total", "n_ungraded", "n_tasks", "n_judges"),
                  cell_columns=("n", "total"))


def _take(values: NDArray, row: IntArray | None) -> NDArray:
    return values if row is None else values[row]


class Breakdowns:
    """Fine cells and the judges behind them, ready to be broken down any way.

    ``cells``: arrays ``cand`` and ``task`` (codes naming ``models`` and ``tasks``),
    ``kind`` (judge-kind code; needed for a breakdown by kind) and the ``measures``, one
    row per distinct (cand, [kind,] task); ``judges``: the (``cand``, ``judge``,
    ``task`` [, ``kind``]) of every graded row, repeats allowed. Groups carry
    ``n_tasks`` (tasks with a graded row) and ``n_judges`` (distinct judges of the
    graded rows).
    """

    def __init__(self, cells: Arrays, judges: Arrays, models: list[str], tasks: list[str],
                 measures: Measures) -> None:
        self.measures = measures
        self.summed = measures.counts + measures.totals
        self.names = list(models)
        if POOLED not in self.names:
            self.names.append(POOLED)
        self.pooled = self.names.index(POOLED)
        order = sorted(range(len(self.names)), key=self.names.__getitem__)
        self.rank = np.empty(len(self.names), dtype=np.int64)
        self.rank[order] = np.arange(len(self.names))
        self.nm, self.nt = len(self.names), max(len(tasks), 1)
        self.model_dtype = pd.CategoricalDtype(self.names)
        self.task_dtype = pd.CategoricalDtype(list(tasks))
        self.fine = {k: np.asarray(v) for k, v in cells.items()}
        self.judges = {k: np.asarray(v, dtype=np.int64) for k, v in judges.items()}
        self.nj = int(self.judges["judge"].max()) + 1 if len(self.judges["judge"]) else 1
        # the (model, task) cells every task-based breakdown relabels
        cand = np.asarray(cells["cand"], dtype=np.int64)
        task = np.asarray(cells["task"], dtype=np.int64)
        keys, sums = count_by(cand * self.nt + task, self.nm * self.nt,
                              {k: cells[k] for k in self.summed})
        self.by_task = {"cand": keys // self.nt, "task": keys % self.nt, **sums}

    def of(self, dim: Dimension) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Groups and cells of breakdown ``dim`` (see the module docstring)."""
        nm, nt = self.nm, self.nt
        n_cats = max(len(dim.labels), 1)
        base = self.fine if dim.source == "kind" else self.by_task
        row, cat = dim.expand(base["task"], base.get("kind"))
        cand = _take(np.asarray(base["cand"], dtype=np.int64), row)
        task = _take(np.asarray(base["task"], dtype=np.int64), row)
        vals = {k: _take(np.asarray(base[k], dtype=np.float64), row) for k in self.summed}
        # base rows are distinct per (model, task), or (model, kind, task), and a task's
        # categories are distinct: so these are the cells, one per (category, model, task);
        # pooled cells per (category, task), over every model
        pkeys, pooled = count_by(cat * nt + task, n_cats * nt, vals)
        cell_cat = np.concatenate([cat, pkeys // nt])
        cell_model = np.concatenate([cand, np.full(len(pkeys), self.pooled)])
        cell_task = np.concatenate([task, pkeys % nt])
        cell = {k: np.concatenate([vals[k], pooled[k]]) for k in self.summed}

        gkeys, group = count_by(cell_cat * nm + cell_model, n_cats * nm,
                                {**cell, "n_tasks": cell["n"] > 0})
        group["n_judges"] = self._judge_counts(dim, gkeys)
        g_cat, g_model = gkeys // nm, gkeys % nm
        order = np.lexsort((self.rank[g_model], g_cat))
        groups = pd.DataFrame({
            "category": pd.array(np.asarray(dim.labels, dtype=object)[g_cat[order]],
                                 dtype="str"),
            "model": pd.array(np.asarray(self.names, dtype=object)[g_model[order]],
                              dtype="str")})
        for k in self.measures.group_columns:
            v = group[k][order]
            groups[k] = v if k in self.measures.totals else v.astype(np.int64)

        keep = cell["n"] > 0
        cells = pd.DataFrame({
            "category": pd.Categorical.from_codes(
                cell_cat[keep], dtype=pd.CategoricalDtype(list(dim.labels))),
            "model": pd.Categorical.from_codes(cell_model[keep], dtype=self.model_dtype),
            "task_id": pd.Categorical.from_codes(cell_task[keep], dtype=self.task_dtype)})
        for k in self.measures.cell_columns:
            v = cell[k][keep]
            cells[k] = v if k in self.measures.totals else v.astype(np.int64)
        return groups, cells

    def _judge_counts(self, dim: Dimension, group_keys: IntArray) -> IntArray:
        """Distinct judges per group key (category * models + model, the pooled model
        counting every model's judges). Marks a dense (category x model x judge) table
        when it is small (one pass, no sort or hash), else hashes the triples."""
        nm, nj = self.nm, self.nj
        n_cats = max(len(dim.labels), 1)
        j = self.judges
        row, cat = dim.expand(j["task"], j.get("kind"))
        outer = cat * nm + _take(j["cand"], row)
        judge = _take(j["judge"], row)
        if n_cats * nm * nj <= DENSE_LIMIT:
            seen = np.zeros((n_cats, nm, nj), dtype=bool)
            seen.reshape(-1)[outer * nj + judge] = True
            seen[:, self.pooled] |= seen.any(axis=1)
            return seen.sum(axis=2).reshape(-1)[group_keys].astype(np.int64)
        pooled_outer = cat * nm + self.pooled
        triples = pd.unique(np.concatenate([outer, pooled_outer]) * nj
                            + np.concatenate([judge, judge]))
        have, count = count_by(triples // nj, n_cats * nm)
        pos = np.clip(np.searchsorted(have, group_keys), 0, max(len(have) - 1, 0))
        found = have[pos] == group_keys if len(have) else np.zeros(len(group_keys), bool)
        return np.where(found, count["count"][pos] if len(have) else 0, 0).astype(np.int64)
