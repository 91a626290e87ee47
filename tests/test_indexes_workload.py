"""Workload advice on the nursery demo: both planted problems a workload exposes, the unindexed
foreign key (P01) and the hot work-list query (P08), end up served by a recommended index that
makes them at least 10x faster when measured, whatever index shape wins, and nothing is slower."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import workbench
from workbench.errors import WorkbenchError
from workbench.indexes import advise, queries_from_file
from workbench.samples import PLANTED, demo_workload

HOT_QUERY = next(p for p in PLANTED if p.id == "P08").query
BATCH_QUERY = "SELECT o.order_number, o.ordered_at, i.quantity, i.unit_price FROM nursery.order_items AS i " \
              "JOIN nursery.orders AS o ON o.id = i.order_id WHERE i.batch_id = 1"


@pytest.fixture(scope="module")
def workload():
    with workbench.connect(workbench.demo_dsn("nursery", progress=False)) as session:
        yield advise(session, queries_from_file(demo_workload("nursery")))


@pytest.mark.parametrize("planted, sql, table", [
    ("P01", BATCH_QUERY, "nursery.order_items"),
    ("P08", HOT_QUERY, "nursery.tasks"),
])
def test_planted_problem_is_served_by_a_recommended_index(workload, planted, sql, table):
    result = workload.query(sql)
    recommended = {r.name: r.candidate.body() for r in workload.recommended}
    used = [recommended[name] for name in result.indexes if name in recommended]
    assert any(body.startswith(table) for body in used), (planted, result.indexes, sorted(recommended.values()))
    assert result.speedup >= 10, (planted, result.ms_before, result.ms_after)


def test_no_measured_case_is_slower(workload):
    assert [(q.number + 1, c.sample.label) for q in workload.queries for c in q.comparisons if c.slower] == []


def test_every_recommendation_is_measured_and_pays(workload):
    for recommendation in workload.recommended:
        ratios = [c.ratio for q in workload.queries if recommendation.name in q.indexes for c in q.comparisons]
        assert ratios and max(ratios) >= 2, recommendation.candidate.body()


def test_finding_a_query_that_is_not_in_the_workload_says_so(workload):
    with pytest.raises(WorkbenchError, match="not in the workload"):
        workload.query("SELECT 1")
    with pytest.raises(WorkbenchError):
        workload.query("SELEC id FROM nursery.tasks")


def workbench_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True)


def test_cli_advises_on_a_demo_workload():
    result = workbench_cli("advise", "--demo", "nursery", "--no-measure", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["queries"]) == len(queries_from_file(demo_workload("nursery")))
    assert data["recommended"] and all(r["create_index"].startswith("CREATE INDEX") for r in data["recommended"])


def test_a_demo_without_a_workload_is_a_clear_error():
    result = workbench_cli("advise", "--demo", "agent")
    assert result.returncode == 2
    assert "the agent demo has no workload" in result.stderr and "nursery" in result.stderr
    assert "Traceback" not in result.stderr
