"""Running a suite against a model: every (task, sample), concurrently, resumably.

A fixed pool of workers takes (task, sample) pairs from a queue; model calls across all
of them share ``max_connections`` slots, and a few more samples than slots are in flight
so that a sample busy writing files or running Python does not leave a connection idle.
Each sample's outcome (row, deliverables, model calls) is committed in its own
transaction by a background writer. Re-running the same command resumes from the rows
in the store (see :mod:`core.store.runs`). On Ctrl-C or SIGTERM the samples in flight are
cancelled and released (their attempt not counted); finished ones are flushed first.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.config import runs_dir
from core.errors import UserError
from core.store import Store
from core.store import runs as store_runs
from core.store.submissions import describe
from core.store.tasks import upsert_tasks
from core.store.writer import BackgroundWriter
from core.suite import LoadedTask, load_suite
from core.task import TASK_ID_RE
from core.taxonomy import slugify
from runner.limits import Limits
from runner.outcome import SampleOutcome
from runner.policy import ToolPolicy, load_policy
from runner.sample import FATAL_MODEL_ERRORS, SampleEnv, choose_mode, run_sample
from runner.sandbox import Sandbox

EMBEDDED_TIMEOUT_S = 900.0
# how long the store writer waits for more sample events to join a commit: a group of 30
# costs DuckDB little more than a group of 3, and a sample's outcome is still on disk
# within a tenth of a second
WRITER_LINGER_S = 0.1


@dataclass
class RunConfig:
    suite: Path
    model: str
    samples: int = 1
    max_connections: int = 8
    task_ids: list[str] | None = None
    occupations: list[str] | None = None
    run_id: str | None = None
    mode: str = "auto"
    limits: Limits = field(default_factory=Limits)
    policy_path: Path | None = None
    approve: list[str] = field(default_factory=list)
    db: Path | None = None
    responses_api: bool = False
    max_samples_in_flight: int | None = None  # default: max_connections + a quarter


@dataclass
class Progress:
    """Live counters of a run, passed to the progress callback after every sample."""

    run_id: str
    total: int  # samples this invocation will run
    skipped: int = 0  # already finished in earlier invocations
    done: int = 0
    failed: int = 0
    running: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    cost_unknown: bool = False
    last: str | None = None  # "task/sample: end_reason"


@dataclass
class RunResult:
    run_id: str
    model: str
    mode: str
    sandbox_level: str | None
    progress: Progress
    wall_s: float
    totals: dict[str, Any]
    failures: list[str] = field(default_factory=list)


def default_run_id(model: str, suite: Path) -> str:
    """Stable across invocations, so the same command resumes the same run."""
    name = suite.resolve().name if suite.is_dir() else suite.resolve().parent.name
    return f"{slugify(model)}--{slugify(name)}"


def select_tasks(cfg: RunConfig) -> tuple[list[LoadedTask], list[str]]:
    """The runnable tasks the config asks for, and warnings about the rest."""
    if not cfg.suite.exists():
        raise UserError(f"suite path {cfg.suite} does not exist; pass the folder holding the "
                        "task.yaml files (the starter suite is 'occupations')")
    suite = load_suite(cfg.suite)
    warnings = [f"{len(suite.errors)} problem(s) in the suite; tasks with errors are skipped "
                f"(see `occubench suite validate {cfg.suite}`)"] if suite.errors else []
    if cfg.task_ids:
        known = {t.id for t in suite.tasks}
        missing = [t for t in cfg.task_ids if t not in known]
        if missing:
            raise UserError(f"no valid task with id {', '.join(missing)} in {cfg.suite}")
    chosen = suite.select(task_ids=cfg.task_ids or None, occupations=cfg.occupations or None)
    runnable = [lt for lt in chosen if lt.task.runnable]
    for lt in chosen:
        if not lt.task.runnable:
            warnings.append(f"task {lt.id} skipped: {'; '.join(lt.task.blockers)}")
    if not runnable:
        what = f"occupation {', '.join(cfg.occupations)}" if cfg.occupations else "the selection"
        raise UserError(f"no runnable tasks in {cfg.suite} for {what}")
    return runnable, warnings


class _Gate:
    """The model client behind ``max_connections`` slots shared by every sample."""

    def __init__(self, client: Any, slots: int) -> None:
        self._client = client
        self._sem = asyncio.Semaphore(slots)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    async def chat(self, *args: Any, **kw: Any) -> Any:
        async with self._sem:
            return await self._client.chat(*args, **kw)

    async def complete_json(self, *args: Any, **kw: Any) -> Any:
        async with self._sem:
            return await self._client.complete_json(*args, **kw)


class _CallRouter:
    """Receives every CallRecord from the client and files it under its sample.

    It also owns the set of model-error kinds that stop the whole run: a connection
    error before any call has worked means a wrong base URL; after one has, a flaky
    network (that sample fails, the run goes on)."""

    def __init__(self) -> None:
        self.by_sample: dict[tuple, list] = {}
        self.fatal_kinds: set[str] = set(FATAL_MODEL_ERRORS) | {"connection"}

    def __call__(self, record: Any) -> None:
        ctx = record.context or {}
        key = (ctx.get("run_id"), ctx.get("task_id"), ctx.get("sample"))
        self.by_sample.setdefault(key, []).append(record)
        if record.status == "ok":
            self.fatal_kinds.discard("connection")

    def take(self, key: tuple) -> list:
        return self.by_sample.pop(key, [])


def _slim(record: Any) -> Any:
    """A call record without the tool definitions in its request: they are the same on
    every turn of every sample (the run's config names them), and repeating ~10 kB of
    schema per call would dominate the model_calls table."""
    tools = record.request.get("tools") if isinstance(record.request, dict) else None
    if not tools:
        return record
    names = [t.get("function", t).get("name") for t in tools if isinstance(t, dict)]
    return dataclasses.replace(record, request={**record.request, "tools": names})


def _record(run_id: str, lt: LoadedTask, sample: int, outcome: SampleOutcome):
    transcript = {**outcome.transcript.to_json(), "end_reason": outcome.end_reason,
                  "tool_errors": outcome.tool_errors}
    rec = store_runs.SampleRecord(
        run_id=run_id, task_id=lt.id, sample=sample, status=outcome.status, mode=outcome.mode,
        end_reason=outcome.end_reason, error=outcome.error, summary=outcome.summary,
        transcript=transcript, input_tokens=outcome.input_tokens,
        output_tokens=outcome.output_tokens, cached_tokens=outcome.cached_tokens,
        cost_usd=outcome.cost_usd, latency_s=outcome.latency_s, turns=outcome.turns)
    files = [describe(run_id, lt.id, sample, p.resolve()) for p in outcome.files]
    return rec, files


async def execute_run(cfg: RunConfig, *, client: Any | None = None,
                      on_progress: Callable[[Progress], None] | None = None,
                      on_start: Callable[[RunResult], None] | None = None) -> RunResult:
    """Run (or resume) a suite. ``client``: an already open model client (tests, bench);
    otherwise one is opened for ``cfg.model`` (starting the embedded server if needed)."""
    tasks, warnings = select_tasks(cfg)
    if client is not None:
        return await _execute(cfg, tasks, warnings, client, None, on_progress, on_start)
    from core.llm import open_client
    from core.llm.providers import is_embedded

    router = _CallRouter()
    kw: dict[str, Any] = {}
    if is_embedded(cfg.model):
        # the embedded model answers one request at a time on the CPU: a long plan can
        # take minutes on a busy machine, and retrying a timed-out generation only
        # repeats the same work
        kw = {"timeout": EMBEDDED_TIMEOUT_S, "max_retries": 1}
        # one request at a time: more samples in flight would only wait in line, their
        # wall-time limit running
        cfg = dataclasses.replace(cfg, max_connections=1, max_samples_in_flight=1)
    async with open_client(cfg.model, on_call=router, use_responses_api=cfg.responses_api,
                           **kw) as opened:
        return await _execute(cfg, tasks, warnings, opened, router, on_progress, on_start)


async def _execute(cfg: RunConfig, tasks: list[LoadedTask], warnings: list[str], client: Any,
                   router: _CallRouter | None, on_progress, on_start) -> RunResult:
    if router is None:  # an injected client: route its records if it lets us
        router = _CallRouter()
        if hasattr(client, "on_call") and client.on_call is None:
            client.on_call = router
    mode = choose_mode(cfg.mode, client)
    policy: ToolPolicy = load_policy(cfg.suite, cfg.policy_path).with_approvals(cfg.approve)
    sandbox = Sandbox() if mode == "tools" and "run_python" in policy.allow else None
    run_id = cfg.run_id or default_run_id(cfg.model, cfg.suite)
    if not TASK_ID_RE.match(run_id):
        raise UserError(f"run id {run_id!r} may only use letters, digits, '.', '-' and '_' "
                        "(at most 128, starting with a letter or digit)")
    store = Store(cfg.db)
    config = {"suite": str(cfg.suite), "samples": cfg.samples, "mode": mode,
              "requested_mode": cfg.mode, "max_connections": cfg.max_connections,
              "limits": cfg.limits.to_dict(), "policy": policy.model_dump(),
              "sandbox": sandbox.level.value if sandbox else None,
              "responses_api": cfg.responses_api,
              "tasks": cfg.task_ids, "occupations": cfg.occupations}
    store_runs.ensure_run(store, run_id, cfg.model, str(cfg.suite), config)
    upsert_tasks(store, tasks)
    keys = [(lt.id, s) for lt in tasks for s in range(cfg.samples)]
    store_runs.plan_samples(store, run_id, keys)
    states = store_runs.sample_states(store, run_id)
    todo = [(lt, s) for lt in tasks for s in range(cfg.samples) if states[(lt.id, s)].runnable]
    progress = Progress(run_id=run_id, total=len(todo), skipped=len(keys) - len(todo))
    result = RunResult(run_id=run_id, model=cfg.model, mode=mode,
                       sandbox_level=sandbox.level.value if sandbox else None,
                       progress=progress, wall_s=0.0, totals={}, failures=list(warnings))
    if on_start:
        on_start(result)
    env = SampleEnv(client=_Gate(client, cfg.max_connections), mode=mode, limits=cfg.limits,
                    policy=policy, sandbox=sandbox, fatal_kinds=router.fatal_kinds)
    base = runs_dir() / run_id
    writer: BackgroundWriter[store_runs.SampleEvent] = BackgroundWriter(
        store, store_runs.apply_events_sql, linger=WRITER_LINGER_S)
    queue: asyncio.Queue = asyncio.Queue()
    for item in todo:
        queue.put_nowait(item)
    fatal: list[BaseException] = []
    in_flight: set[tuple[str, int]] = set()
    started = time.monotonic()

    def notify() -> None:
        if on_progress:
            on_progress(progress)

    def committed(label: str) -> Callable[[BaseException | None], None]:
        def done(error: BaseException | None) -> None:
            if error is not None:
                result.failures.append(f"{label}: not recorded: {error}")
        return done

    async def one(lt: LoadedTask, sample: int) -> None:
        key = (run_id, lt.id, sample)
        in_flight.add((lt.id, sample))
        writer.submit(store_runs.started(run_id, lt.id, sample, mode))
        progress.running += 1
        try:
            outcome = await run_sample(env, lt, base / lt.id / str(sample),
                                       {"run_id": run_id, "task_id": lt.id, "sample": sample})
        finally:
            progress.running -= 1
        try:
            rec, files = await asyncio.to_thread(_record, run_id, lt, sample, outcome)
        except OSError as exc:  # a deliverable vanished between finish and hashing
            outcome.end_reason, outcome.files = "error", []
            outcome.error = f"cannot read the deliverables: {exc}"
            rec, files = await asyncio.to_thread(_record, run_id, lt, sample, outcome)
        calls = [_slim(c) for c in router.take(key)]
        label = f"{lt.id}/{sample}"
        writer.submit(store_runs.Finished(rec, files, calls), committed(label))
        in_flight.discard((lt.id, sample))
        if outcome.status == "failed":
            progress.failed += 1
            result.failures.append(f"{label}: {outcome.error}")
        else:
            progress.done += 1
        progress.input_tokens += outcome.input_tokens or 0
        progress.output_tokens += outcome.output_tokens or 0
        if outcome.cost_usd is None and outcome.turns:
            progress.cost_unknown = True
        progress.cost_usd += outcome.cost_usd or 0.0
        progress.last = f"{label}: {outcome.end_reason}"
        notify()

    async def worker() -> None:
        while not fatal:
            try:
                lt, sample = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                await one(lt, sample)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a fatal model error (bad key, unknown model, ...)
                fatal.append(exc)
                for w in workers:
                    if w is not asyncio.current_task():
                        w.cancel()
                return

    width = cfg.max_samples_in_flight or cfg.max_connections + max(1, cfg.max_connections // 4)
    workers = [asyncio.create_task(worker()) for _ in range(min(width, len(todo)) or 0)]
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, me.cancel)  # type: ignore[union-attr]
    notify()
    # the modules, schemas and suite loaded so far live as long as the run: move them out
    # of the collector's sight, or every full collection walks them all again (~0.1 s
    # with the event loop stopped, several times a run)
    gc.freeze()
    try:
        await asyncio.gather(*workers, return_exceptions=True)
    finally:
        gc.unfreeze()
        for w in workers:
            w.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*workers, return_exceptions=True)
        for task_id, sample in list(in_flight):
            writer.submit(store_runs.Released(run_id, task_id, sample))
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)
        await asyncio.to_thread(writer.close)
    if writer.error is not None:
        raise UserError(f"could not record results in {store.path}: {writer.error}")
    if fatal:
        raise fatal[0]
    result.wall_s = time.monotonic() - started
    result.totals = store_runs.run_totals(store, run_id)
    return result
