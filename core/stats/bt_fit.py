"""Bradley-Terry fits on aggregated pairs, many data sets at once.

Players have strengths theta (natural logits); P(i beats j) = sigmoid(theta_i - theta_j).
A tie counts as half a win for each side (the usual BT-with-ties-as-half-wins, as in
FastChat's ``compute_bt``), or, optionally, follows Davidson's model where
P(tie) is proportional to nu * sqrt(pi_i pi_j).

The half-win fit is a batched Newton method: every bootstrap replicate is the same
players and pairs with different weights, so B Hessians (N x N) are built with one
``bincount`` and solved with one batched ``solve``; a thousand replicates converge in a
handful of iterations. One player (the anchor) is fixed at 0 to make strengths
identifiable. A small ridge (``l2``) keeps strengths finite for a player who won, or
lost, every comparison; such players are flagged by the caller.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

Array = NDArray[np.float64]

MAX_STEP = 3.0


def half_win_nll(theta: Array, i: NDArray[np.int64], j: NDArray[np.int64], s: Array,
                 n: Array, l2: float = 0.0) -> Array:
    """Penalised negative log-likelihood of (B, N) strengths; for checks and tests."""
    theta = np.atleast_2d(theta)
    d = theta[:, i] - theta[:, j]
    # -[s log p + (n - s) log(1 - p)] with log p = -log1p(exp(-d))
    nll = s * np.logaddexp(0.0, -d) + (n - s) * np.logaddexp(0.0, d)
    return nll.sum(axis=1) + 0.5 * l2 * (theta * theta).sum(axis=1)


def fit_half_wins(i: NDArray[np.int64], j: NDArray[np.int64], s: Array, n: Array,
                  n_players: int, anchor: int, *, l2: float = 1e-3, tol: float = 1e-9,
                  max_iter: int = 100, init: Array | None = None) -> Array:
    """Maximum (ridge-penalised) likelihood strengths for B weightings of P pairs.

    ``i``, ``j`` (P,) are the players of each pair; ``s`` (B, P) is player i's score
    (wins + ½ ties) and ``n`` (B, P) the judgments of the pair; 1-D inputs mean B = 1.
    Returns theta (B, n_players) with theta[:, anchor] == 0 (or (n_players,) for B = 1).
    """
    single = np.ndim(s) == 1
    s = np.atleast_2d(np.asarray(s, dtype=np.float64))
    n = np.atleast_2d(np.asarray(n, dtype=np.float64))
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    b, npl = s.shape[0], n_players
    free = np.array([k for k in range(npl) if k != anchor], dtype=np.int64)
    theta = np.zeros((b, npl)) if init is None else np.array(np.broadcast_to(init, (b, npl)))
    theta[:, anchor] = 0.0
    flat = np.stack([i * npl + i, j * npl + j, i * npl + j, j * npl + i])  # (4, P)
    offsets = (np.arange(b) * npl * npl)[:, None, None]
    signs = np.array([1.0, 1.0, -1.0, -1.0])[None, :, None]
    eye = l2 * np.eye(len(free))
    incidence = np.zeros((len(i), npl))
    incidence[np.arange(len(i)), i] += 1.0
    incidence[np.arange(len(i)), j] -= 1.0
    for _ in range(max_iter):
        d = theta[:, i] - theta[:, j]
        p = expit(d)
        r = s - n * p                                   # d loglik / d theta_i for each pair
        grad = r @ incidence - l2 * theta
        w = n * p * (1.0 - p)
        idx = (offsets + flat[None, :, :]).ravel()
        vals = (signs * w[:, None, :]).ravel()
        hess = np.bincount(idx, weights=vals, minlength=b * npl * npl).reshape(b, npl, npl)
        h = hess[:, free][:, :, free] + eye
        try:
            step = np.linalg.solve(h, grad[:, free][..., None])[..., 0]
        except np.linalg.LinAlgError:      # singular without a ridge: least-norm step
            step = np.einsum("bij,bj->bi", np.linalg.pinv(h), grad[:, free])
        big = np.abs(step).max(axis=1, keepdims=True)
        step *= np.minimum(1.0, MAX_STEP / np.maximum(big, 1e-300))
        theta[:, free] += step
        if np.abs(step).max() < tol:
            break
    return theta[0] if single else theta


def _davidson_terms(params: Array, i: NDArray[np.int64], j: NDArray[np.int64], w: Array,
                    lo: Array, t: Array, free: NDArray[np.int64], npl: int, l2: float
                    ) -> tuple[float, Array]:
    theta = np.zeros(npl)
    theta[free] = params[:-1]
    log_nu = params[-1]
    ti, tj = theta[i], theta[j]
    mid = log_nu + 0.5 * (ti + tj)
    log_d = np.logaddexp(np.logaddexp(ti, tj), mid)
    n = w + lo + t
    ll = (w * ti + lo * tj + t * mid - n * log_d).sum() - 0.5 * l2 * (theta @ theta)
    a, bb, c = np.exp(ti - log_d), np.exp(tj - log_d), np.exp(mid - log_d)
    gi = w + 0.5 * t - n * (a + 0.5 * c)
    gj = lo + 0.5 * t - n * (bb + 0.5 * c)
    g = np.zeros(npl)
    np.add.at(g, i, gi)
    np.add.at(g, j, gj)
    g -= l2 * theta
    g_nu = (t - n * c).sum()
    return -ll, -np.concatenate([g[free], [g_nu]])


def fit_davidson(i: NDArray[np.int64], j: NDArray[np.int64], wins_i: Array, wins_j: Array,
                 ties: Array, n_players: int, anchor: int, *, l2: float = 1e-3,
                 init: Array | None = None) -> tuple[Array, float]:
    """Davidson (1970) ties: returns (theta with theta[anchor] == 0, nu)."""
    from scipy.optimize import minimize  # imported here: the CLI starts faster without it
    free = np.array([k for k in range(n_players) if k != anchor], dtype=np.int64)
    x0 = np.zeros(len(free) + 1)
    if init is not None:
        x0[:-1] = np.asarray(init)[free]
    res = minimize(_davidson_terms, x0, jac=True, method="L-BFGS-B",
                   args=(np.asarray(i), np.asarray(j), np.asarray(wins_i, dtype=float),
                         np.asarray(wins_j, dtype=float), np.asarray(ties, dtype=float),
                         free, n_players, l2),
                   options={"maxiter": 500, "gtol": 1e-9})
    theta = np.zeros(n_players)
    theta[free] = res.x[:-1]
    return theta, float(np.exp(res.x[-1]))
