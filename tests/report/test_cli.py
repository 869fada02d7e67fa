"""`occubench report` end to end: a real DuckDB file holding human and autograder
judgments, every format written by the real CLI, the HTML opened in headless Chromium."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from app.cli import main
from tests.conftest import REPO, run_cli
from tests.report.conftest import SECRET_HASH, random_db

ARGS = ["--bootstrap", "200", "--seed", "1", "--min-n", "5", "--quiet"]
TABLES = {"win_rates", "ratings", "agreement", "agreement_pairs", "position_bias", "rubric",
          "cost_speed"}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "occubench.duckdb"
    random_db(path, seed=5)
    return path


def cli(*args: str) -> tuple[int, str, str]:
    """The CLI's entry point in this process (the subprocess tests cover the real
    executable): exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def outputs(db_path: Path, tmp_path_factory) -> dict[str, Path]:
    """Every format; HTML through the installed `occubench` executable, the rest through
    the same entry point in-process (each subprocess pays seconds of imports)."""
    out = tmp_path_factory.mktemp("out")
    paths = {}
    for fmt in ("md", "html", "csv", "json", "parquet"):
        target = out / (f"report.{fmt}" if fmt in ("md", "html", "json") else f"tables-{fmt}")
        args = ("report", "--db", str(db_path), "--format", fmt, "--out", str(target), *ARGS)
        if fmt == "html":
            res = run_cli(*args)
            code, stderr = res.returncode, res.stderr
        else:
            code, _, stderr = cli(*args)
        assert code == 0, stderr
        assert f"wrote {target}" in stderr.replace("\n", "")
        paths[fmt] = target
    return paths


def _all_text(paths: dict[str, Path]) -> str:
    files = [p for p in paths.values() if p.is_file()]
    files += [f for p in paths.values() if p.is_dir() for f in p.iterdir()
              if f.suffix in (".csv", ".json")]
    return "".join(f.read_text(encoding="utf-8") for f in files)


def test_markdown_states_judges_counts_and_definition(outputs):
    md = outputs["md"].read_text()
    assert md.startswith("# occubench report")
    assert "Judges: human reviewers and the autograder, pooled" in md
    assert re.search(r"Judgments: [\d,]+ graded; [\d,]+ ungraded", md)
    assert "wins or ties (GDPval headline)" in md
    for section in ("## Win rate against the expert, by model", "## By sector",
                    "## By occupation", "## By deliverable file type", "## By judge kind",
                    "## Ratings (Bradley-Terry)", "## Agreement between judges",
                    "## Rubric scores", "## Cost and speed"):
        assert section in md
    for m in range(4):
        assert f"vendor/model-{m}" in md


def test_markdown_to_stdout_without_out(db_path):
    code, stdout, stderr = cli("report", "--db", str(db_path), "--bootstrap", "0")
    assert code == 0, stderr
    assert stdout.startswith("# occubench report") and "| rank | model |" in stdout


def test_json_is_one_document_of_tidy_tables(outputs):
    doc = json.loads(outputs["json"].read_text())
    assert set(doc["tables"]) == TABLES
    assert doc["meta"]["judges"] == "all" and doc["meta"]["bootstrap"] == 200
    rows = [r for r in doc["tables"]["win_rates"] if r["dimension"] == "model"]
    assert {r["model"] for r in rows} >= {f"vendor/model-{m}" for m in range(4)}
    assert all(0 <= r["wins_or_ties_lo"] <= r["wins_or_ties"] <= r["wins_or_ties_hi"] <= 1
               for r in rows)
    assert {r["player"] for r in doc["tables"]["ratings"]} >= {"human/expert"}


def test_csv_and_parquet_hold_the_same_tables(outputs):
    for fmt in ("csv", "parquet"):
        names = {p.stem for p in outputs[fmt].iterdir() if p.suffix == f".{fmt}"}
        assert names == TABLES
        assert (outputs[fmt] / "meta.json").is_file()
    csv = pd.read_csv(outputs["csv"] / "win_rates.csv")
    pq = pd.read_parquet(outputs["parquet"] / "win_rates.parquet")
    assert len(csv) == len(pq) > 0
    pd.testing.assert_series_equal(csv["wins_or_ties"], pq["wins_or_ties"], check_dtype=False)
    kinds = set(csv.loc[csv["dimension"] == "judge_kind", "category"])
    assert kinds == {"human", "auto"}


def test_no_reviewer_secrets_in_any_output(outputs):
    text = _all_text(outputs) + "".join(
        str(pd.read_parquet(p).to_dict()) for p in outputs["parquet"].glob("*.parquet"))
    assert SECRET_HASH not in text and "s3cr3t" not in text
    assert "password" not in text.lower()
    assert "rev-1" in text                  # reviewer ids are fine for admins


def test_html_is_self_contained(outputs):
    html = outputs["html"].read_text()
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "default-src 'none'" in html
    for key in ("wr_models", "by_judge_kind", "forest_sector", "by_occupation", "ladder",
                "agreement"):
        assert f'data-figure="{key}"' in html, key
    assert "Judges: human reviewers and the autograder, pooled" in html


@pytest.mark.browser
def test_html_opens_in_chromium_without_errors(outputs):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    shot = artifacts / "report.png"
    url = outputs["html"].resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), headless=True,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url)
            page.wait_for_load_state("load")
            assert problems == []
            assert requests == [url]                      # nothing fetched but the file
            assert page.locator("svg").count() >= 6
            assert page.locator("tr.low-n").count() >= 1  # greyed small categories
            assert "occubench report" in page.title()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000


def test_clear_errors(db_path, tmp_path):
    code, _, err = cli("report", "--db", str(tmp_path / "missing.duckdb"))
    assert code == 1 and "no database at" in err
    code, _, err = cli("report", "--db", str(db_path), "--format", "docx")
    assert code == 1 and "--format" in err
    code, _, err = cli("report", "--db", str(db_path), "--runs", "run-0,nope", "--bootstrap", "0")
    assert code == 1 and "'nope'" in err
    code, _, err = cli("report", "--db", str(db_path), "--by", "region")
    assert code == 1 and "--by 'region'" in err
    a_file = tmp_path / "taken.csv"
    a_file.write_text("x")
    code, _, err = cli("report", "--db", str(db_path), "-f", "csv", "-o", str(a_file),
                       "--bootstrap", "0")
    assert code == 1 and "is a file" in err and "Traceback" not in err


def test_runs_and_judges_options(db_path):
    code, stdout, err = cli("report", "--db", str(db_path), "--runs", "run-0", "--runs",
                            "run-1", "--judges", "human", "--by", "sector", "-f", "json",
                            "--bootstrap", "0")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["meta"]["models"] == ["vendor/model-0", "vendor/model-1"]
    assert {r["dimension"] for r in doc["tables"]["win_rates"]} == {"model", "sector"}
    assert doc["meta"]["judges_text"] == "human expert reviewers only"
