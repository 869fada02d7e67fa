"""Sums per integer key: the one primitive behind the report's tallies and breakdowns."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import NDArray

IntArray = NDArray[np.int64]

#: Up to this many possible keys, sums are gathered with a dense ``bincount`` over every
#: key; beyond, the keys that occur are hashed first.
DENSE_KEYS = 1 << 20


def count_by(key: NDArray, n_keys: int, weights: Mapping[str, NDArray] | None = None
             ) -> tuple[IntArray, dict[str, NDArray]]:
    """Sums of ``weights`` per distinct ``key`` (integers in 0..n_keys-1): the keys that
    occur, sorted, and their sums, plus ``"count"``, the rows per key. A boolean weight
    counts its true rows (int64); other weights sum as float64, in row order, so the same
    rows in the same order give the same floating-point sums."""
    key = np.asarray(key).astype(np.int64, copy=False)
    weights = weights or {}
    if n_keys <= DENSE_KEYS:
        count = np.bincount(key, minlength=n_keys)
        keys = np.flatnonzero(count)
        sums = {k: _bincount(key, w, n_keys)[keys] for k, w in weights.items()}
        sums["count"] = count[keys]
        return keys.astype(np.int64), sums
    inv, uniq = pd.factorize(key, sort=True)
    sums = {k: _bincount(inv, w, len(uniq)) for k, w in weights.items()}
    sums["count"] = np.bincount(inv, minlength=len(uniq))
    return np.asarray(uniq, dtype=np.int64), sums


def _bincount(key: NDArray, weight: NDArray, size: int) -> NDArray:
    w = np.asarray(weight)
    if w.dtype == np.bool_:
        return np.bincount(key[w], minlength=size)
    return np.bincount(key, weights=w.astype(np.float64, copy=False), minlength=size)


def count_by_class(key: NDArray, n_keys: int, cls: NDArray, n_classes: int
                   ) -> tuple[IntArray, NDArray[np.int64]]:
    """Rows per (key, class), classes in 0..n_classes-1: the keys that occur, sorted, and
    a (keys x classes) count matrix. One ``bincount`` however many classes, where a
    boolean weight per class would take one pass each."""
    key = np.asarray(key).astype(np.int64, copy=False)
    cls = np.asarray(cls).astype(np.int64, copy=False)
    if n_keys * n_classes <= DENSE_KEYS:
        table = np.bincount(key * n_classes + cls, minlength=n_keys * n_classes)
        table = table.reshape(n_keys, n_classes)
        keys = np.flatnonzero(table.any(axis=1))
        return keys.astype(np.int64), table[keys]
    inv, uniq = pd.factorize(key, sort=True)
    table = np.bincount(inv * n_classes + cls, minlength=len(uniq) * n_classes)
    return np.asarray(uniq, dtype=np.int64), table.reshape(len(uniq), n_classes)
