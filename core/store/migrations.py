"""The DuckDB schema, as an ordered list of migrations.

Each migration is applied once, in order, inside one transaction, and recorded in
``schema_version``; opening an older file upgrades it. Never edit a released migration:
append a new one. Columns that hold JSON are ``JSON`` (DuckDB's json extension ships
built in); timestamps are UTC.

Vocabulary. A *submission* is what one (run, task, sample) handed in: its files are rows
of ``deliverables``. The professional's deliverable is a submission of the reserved run
``gold`` (sample 0), so a comparison is always between two submissions. A *judgment*
scores one comparison from the candidate's side: 1 candidate better, 0.5 as good as,
0 reference better, NULL ungraded (a judge failure is never a win or a loss).
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "initial schema",
        """
        CREATE TABLE tasks (
            task_id       VARCHAR PRIMARY KEY,
            sector        VARCHAR NOT NULL,
            occupation    VARCHAR NOT NULL,
            title         VARCHAR NOT NULL,
            deliverable_types VARCHAR[] NOT NULL,
            expert_hours  DOUBLE,
            expert_hourly_wage_usd DOUBLE,
            spec          JSON NOT NULL,
            spec_sha256   VARCHAR NOT NULL,
            task_dir      VARCHAR,
            updated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
        );

        CREATE TABLE runs (
            run_id        VARCHAR PRIMARY KEY,
            model         VARCHAR NOT NULL,
            suite         VARCHAR,
            config        JSON NOT NULL DEFAULT '{}',
            created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
            notes         VARCHAR
        );

        -- one row per (run, task, sample); status pending|running|done|failed
        CREATE TABLE samples (
            run_id        VARCHAR NOT NULL,
            task_id       VARCHAR NOT NULL,
            sample        INTEGER NOT NULL,
            status        VARCHAR NOT NULL,
            attempts      INTEGER NOT NULL DEFAULT 0,
            mode          VARCHAR,
            started_at    TIMESTAMP,
            finished_at   TIMESTAMP,
            error         VARCHAR,
            end_reason    VARCHAR,         -- finished | max_turns | timeout | model_error ...
            summary       VARCHAR,
            transcript    JSON,
            input_tokens  BIGINT,
            output_tokens BIGINT,
            cached_tokens BIGINT,
            cost_usd      DOUBLE,          -- NULL when a price is unknown, never 0 for unknown
            latency_s     DOUBLE,
            turns         INTEGER,
            PRIMARY KEY (run_id, task_id, sample)
        );

        CREATE TABLE deliverables (
            deliverable_id VARCHAR PRIMARY KEY,
            run_id        VARCHAR NOT NULL,
            task_id       VARCHAR NOT NULL,
            sample        INTEGER NOT NULL,
            name          VARCHAR NOT NULL,
            path          VARCHAR NOT NULL,
            file_type     VARCHAR NOT NULL,
            sha256        VARCHAR NOT NULL,
            bytes         BIGINT NOT NULL,
            created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
            UNIQUE (run_id, task_id, sample, name)
        );

        CREATE TABLE model_calls (
            call_id       VARCHAR PRIMARY KEY,
            purpose       VARCHAR NOT NULL,   -- agent | plan | judge-rubric | judge-pairwise
            model         VARCHAR NOT NULL,
            run_id        VARCHAR,
            task_id       VARCHAR,
            sample        INTEGER,
            started_at    TIMESTAMP NOT NULL,
            latency_s     DOUBLE,
            input_tokens  BIGINT,
            output_tokens BIGINT,
            cached_tokens BIGINT,
            cost_usd      DOUBLE,
            status        VARCHAR NOT NULL,   -- ok | error
            error         VARCHAR,
            attempts      INTEGER,            -- HTTP attempts it took (1 = no retry)
            request       JSON,
            response      JSON
        );

        CREATE TABLE rubric_grades (
            grade_id      VARCHAR PRIMARY KEY,
            run_id        VARCHAR NOT NULL,
            task_id       VARCHAR NOT NULL,
            sample        INTEGER NOT NULL,
            judge_model   VARCHAR NOT NULL,
            grader_version VARCHAR NOT NULL,
            status        VARCHAR NOT NULL,   -- graded | partial | ungraded
            score         DOUBLE,             -- clip(met points / positive points, 0, 1)
            points_met    DOUBLE,
            points_possible DOUBLE,
            items_ungraded INTEGER NOT NULL DEFAULT 0,
            error         VARCHAR,
            raw           JSON,               -- warnings (judge of its own family), budgets
            created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
            UNIQUE (run_id, task_id, sample, judge_model, grader_version)
        );

        CREATE TABLE rubric_item_results (
            grade_id      VARCHAR NOT NULL,
            rubric_item_id VARCHAR NOT NULL,
            points        INTEGER NOT NULL,
            met           BOOLEAN,            -- NULL: the judge failed on this item
            method        VARCHAR NOT NULL,   -- check | judge
            evidence      VARCHAR,
            raw_response  VARCHAR,
            call_id       VARCHAR,
            error         VARCHAR,
            PRIMARY KEY (grade_id, rubric_item_id)
        );

        CREATE TABLE batches (
            batch_id      VARCHAR PRIMARY KEY,
            name          VARCHAR NOT NULL,
            k             INTEGER NOT NULL DEFAULT 3,
            config        JSON NOT NULL DEFAULT '{}',
            created_by    VARCHAR,
            created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
        );

        -- a pair to judge: candidate submission vs reference submission
        CREATE TABLE comparisons (
            comparison_id VARCHAR PRIMARY KEY,
            task_id       VARCHAR NOT NULL,
            candidate_run_id VARCHAR NOT NULL,
            candidate_sample INTEGER NOT NULL,
            reference_run_id VARCHAR NOT NULL,   -- 'gold' for the professional's deliverable
            reference_sample INTEGER NOT NULL,
            batch_id      VARCHAR,
            attention     BOOLEAN NOT NULL DEFAULT false,
            expected_outcome DOUBLE,           -- known answer for attention pairs
            -- bumped by every review claim and vote on the pair, so that concurrent ones
            -- conflict and are retried (DuckDB ignores updates that change nothing)
            lock_seq      BIGINT NOT NULL DEFAULT 0,
            created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
            UNIQUE (task_id, candidate_run_id, candidate_sample, reference_run_id,
                    reference_sample, batch_id)
        );

        CREATE TABLE reviewers (
            reviewer_id   VARCHAR PRIMARY KEY,
            username      VARCHAR NOT NULL UNIQUE,
            display_name  VARCHAR,
            role          VARCHAR NOT NULL,   -- reviewer | admin
            occupations   VARCHAR[] NOT NULL,
            password_hash VARCHAR,
            active        BOOLEAN NOT NULL DEFAULT true,
            created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
        );

        -- a reviewer holding a pair: reserved for a while, sides fixed per reviewer and pair
        CREATE TABLE assignments (
            comparison_id VARCHAR NOT NULL,
            reviewer_id   VARCHAR NOT NULL,
            candidate_side VARCHAR NOT NULL,  -- 'A' or 'B'
            reserved_at   TIMESTAMP NOT NULL,
            expires_at    TIMESTAMP NOT NULL,
            first_render_at TIMESTAMP,
            draft         JSON,
            status        VARCHAR NOT NULL,   -- reserved | done | released
            PRIMARY KEY (comparison_id, reviewer_id)
        );

        -- append-only: human votes and autograder verdicts; a change is a new row that
        -- supersedes an older one
        CREATE TABLE judgments (
            judgment_id   VARCHAR PRIMARY KEY,
            comparison_id VARCHAR NOT NULL,
            judge_kind    VARCHAR NOT NULL,   -- human | auto
            judge_id      VARCHAR NOT NULL,   -- reviewer_id or judge model id
            outcome       DOUBLE,             -- candidate's score: 1 / 0.5 / 0; NULL ungraded
            status        VARCHAR NOT NULL,   -- graded | ungraded
            candidate_side VARCHAR,           -- side the candidate was shown on (A/B)
            rationale     VARCHAR,
            both_unacceptable BOOLEAN NOT NULL DEFAULT false,
            time_on_task_s DOUBLE,
            position_consistent BOOLEAN,      -- autograder: both orders agreed
            grader_version VARCHAR,
            raw           JSON,               -- autograder: raw verdicts of both orders
            idempotency_key VARCHAR UNIQUE,   -- double submits land once
            supersedes    VARCHAR,
            created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
        );

        CREATE INDEX judgments_comparison ON judgments (comparison_id);
        CREATE INDEX deliverables_submission ON deliverables (run_id, task_id, sample);
        CREATE INDEX model_calls_run ON model_calls (run_id);
        """,
    ),
]

LATEST = MIGRATIONS[-1][0]
