"""The whole pipeline offline on the real embedded model (SmolLM2 via llama.cpp).

Marked ``local_model``: skipped with a reason when llama-cpp-python or the model wheel is
missing. One small task in document-plan mode; the output is weak, what matters is that
real files come out of a real model with no network and the run is in DuckDB.
"""

from __future__ import annotations

import asyncio

from docx import Document

from core.llm import DEFAULT_LOCAL_MODEL
from runner.limits import Limits
from runner.orchestrate import RunConfig, execute_run
from tests.runner.conftest import rows, write_task
from tests.support.local_model import LOCAL_MODEL_MARKS

pytestmark = LOCAL_MODEL_MARKS


def test_embedded_model_plans_and_real_files_come_out(tmp_path, db):
    suite = tmp_path / "suite"
    write_task(suite, "memo", types=("docx", "xlsx"), prompt="Write a short memo to staff "
               "announcing that the office closes at 3pm on Friday.")
    cfg = RunConfig(suite=suite, model=DEFAULT_LOCAL_MODEL, db=db,
                    limits=Limits(plan_max_tokens=300, timeout_s=900))
    result = asyncio.run(execute_run(cfg))
    assert result.mode == "plan" and result.progress.done == 1, result.failures
    row = rows(db, "SELECT * FROM samples")[0]
    assert row["end_reason"] in ("finished", "invalid_output"), row["error"]
    if row["end_reason"] == "finished":
        files = {r["file_type"]: r["path"] for r in rows(db, "SELECT * FROM deliverables")}
        assert set(files) == {"docx", "xlsx"}
        assert Document(files["docx"]).paragraphs  # a real document
    calls = rows(db, "SELECT status, cost_usd FROM model_calls")
    assert calls and all(c["cost_usd"] == 0 for c in calls if c["status"] == "ok")
