"""The advise benchmark's timing of two index sets (benchmarks/advise.py), on a small ledger.

The figures themselves are the benchmark's to print; these tests hold its method: both sets
built side by side, each read timed with one set's indexes only, the names reported as built,
nothing left behind, and a read that looks slower timed again side by side.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import psycopg
import pytest

import workbench
from workbench.testing import scratch_database
from workloads import load_domain, workload

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = "CREATE INDEX transactions_account_id_idx ON ledger.transactions (account_id)"
ACCOUNT_TIME = "CREATE INDEX transactions_account_id_idx ON ledger.transactions (account_id, created_at)"
ORG = "CREATE INDEX transactions_org_id_idx ON ledger.transactions (org_id)"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("advise_benchmark", ROOT / "benchmarks" / "advise.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def ledger(pg18):
    with scratch_database(pg18) as dsn:
        load_domain(dsn, "ledger", 5000)
        yield dsn


def secondary_indexes(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM pg_index AS x JOIN pg_class AS c ON c.oid = x.indrelid "
                            "WHERE c.relnamespace = 'ledger'::regnamespace AND NOT x.indisprimary "
                            "AND NOT x.indisunique").fetchone()[0]


def test_each_set_is_timed_with_its_own_indexes_only(bench, ledger):
    queries = workload("ledger")
    activity = next(n for n, q in enumerate(queries) if q.title.startswith("Account activity"))
    sets = {"one": ([ACCOUNT, ORG], []), "two": ([ACCOUNT_TIME], [])}  # the same name in both sets
    before_count = secondary_indexes(ledger)
    with workbench.connect(ledger) as session:
        before = bench.baseline_pass(session, queries, 1)
        found, built, again = bench.timed_sets(session, "ledger", sets, queries, 1, before, rounds=2)
    assert [index.name for index in built["one"]] == ["transactions_account_id_idx", "transactions_org_id_idx"]
    assert [index.name for index in built["two"]] == ["transactions_account_id_idx"]
    assert built["two"][0].definition == "ledger.transactions USING btree (account_id, created_at)"
    for label in sets:
        mine = {index.plain_alias for index in built[label]}
        used = {i for ms, plan in found[label].values() for i in plan.indexes_used() if i.startswith(("one_", "two_"))}
        assert used and used <= mine, (label, used)
    assert found["one"][activity][1].indexes_used() != found["two"][activity][1].indexes_used()
    assert not any(bench.is_write(queries[n]) for n in found["one"])
    assert secondary_indexes(ledger) == before_count


def test_a_read_that_looks_slower_is_timed_again_side_by_side(bench, ledger):
    queries = workload("ledger")[:3]
    with workbench.connect(ledger) as session:
        before = bench.baseline_pass(session, queries, 1)
        quick = [(-1.0, None) for _ in before]  # any time is slower than this, and the plan differs
        found, built, again = bench.timed_sets(session, "ledger", {"one": ([ACCOUNT, ORG], [])}, queries, 1,
                                               quick, rounds=1)
    reads = [n for n, q in enumerate(queries) if not bench.is_write(q)]
    assert set(again["one"]) == set(reads)
    for number, (without, with_set) in again["one"].items():
        assert without > 0 and with_set > 0


def test_a_statement_counts_as_slower_by_its_times_side_by_side(bench):
    queries = workload("ledger")[:2]
    figures = bench.half_figures(queries, [1.0, 1.0], [5.0, 5.0], {0: (5.0, 5.1)})
    assert figures["slower"] == [queries[1].title]


def test_a_read_both_sets_serve_alike_counts_the_rounds_of_both(bench, ledger):
    queries = workload("ledger")
    activity = next(n for n, q in enumerate(queries) if q.title.startswith("Account activity"))
    sets = {"one": ([ACCOUNT, ORG], []), "two": ([ORG, ACCOUNT], [])}  # the same indexes, built in another order
    with workbench.connect(ledger) as session:
        before = bench.baseline_pass(session, queries, 1)
        found, built, _ = bench.timed_sets(session, "ledger", sets, queries, 1, before, rounds=2)
    assert bench.same_work(found["one"][activity][1], found["two"][activity][1], built)
    assert found["one"][activity][0] == found["two"][activity][0]
    assert all(found["one"][n][0] == found["two"][n][0] for n in found["one"])


def test_a_write_that_looks_slower_is_timed_again_in_turns_with_no_index_and_each_set(bench, ledger, monkeypatch):
    """Every write made to look slower than with no index is timed once more with no index
    and once more with each set (two rounds); each side keeps its fastest pass (the second
    pass with no index is made the fastest)."""
    queries = workload("ledger")
    written = [n for n, q in enumerate(queries) if bench.is_write(q)]
    passes, real = [], bench.time_pass

    def recorded(session, queries, runs, numbers=None):
        passes.append(list(numbers or []))
        found = real(session, queries, runs, numbers)
        return {n: (-2.0, plan) for n, (_, plan) in found.items()} if len(passes) == 3 else found

    monkeypatch.setattr(bench, "time_pass", recorded)
    sets = {"one": ([ACCOUNT, ORG], []), "two": ([ACCOUNT_TIME], [])}
    with workbench.connect(ledger) as session:
        before = bench.baseline_pass(session, queries, 1)
        passes.clear()
        quick = [(-1.0, plan) if n in written else (ms, plan) for n, (ms, plan) in enumerate(before)]
        found, after_before, again = bench.writes_in_turns(session, ledger, "ledger", sets, queries, 1, quick, 2)
    assert written and again == written
    assert passes == [written, written, written, written, written]  # each set, then no index and each set again
    assert [after_before[n][0] for n in written] == [-2.0] * len(written)
    assert all(after_before[n] == quick[n] for n in range(len(queries)) if n not in written)
    for label in sets:
        assert set(found[label]) == set(written) and all(ms > 0 for ms, _ in found[label].values())


def test_a_write_no_set_slows_is_timed_once(bench, ledger, monkeypatch):
    queries = workload("ledger")
    passes, real = [], bench.time_pass
    monkeypatch.setattr(bench, "time_pass", lambda *a, **k: passes.append(list(a[3] or [])) or real(*a, **k))
    with workbench.connect(ledger) as session:
        before = bench.baseline_pass(session, queries, 1)
        passes.clear()
        slow = [(ms + 1e6, plan) for ms, plan in before]
        _, after_before, again = bench.writes_in_turns(session, ledger, "ledger", {"one": ([ACCOUNT], [])}, queries,
                                                       1, slow, 3)
    assert again == [] and len(passes) == 1 and after_before == slow
