"""Index advice within a storage budget, on both tiers: the shop database of the index tests,
with two existing indexes no query of its workload uses.

The budget covers the indexes of the tables the workload reads: those that stay (primary keys,
the index query 4 uses) count against it, the unused ones are proposed for dropping in a
Draft of their own whose down SQL makes them again exactly.
"""
import json

import psycopg
import pytest

import workbench
from tests.test_indexes_server import SHOP, WORKLOAD
from workbench.testing import load_sql
from workbench.drafts.dryrun import dry_run
from workbench.indexes import advise
from workbench.indexes.curve import kept_size
from workbench.testing import scratch_database

UNUSED = """
CREATE INDEX orders_total_idx ON shop.orders (total);
COMMENT ON INDEX shop.orders_total_idx IS 'for a report nobody runs any more';
CREATE INDEX customers_name_idx ON shop.customers (name);
"""


@pytest.fixture(scope="module", params=["pg18", "pg15"])
def shop_dsn(request):
    admin = request.getfixturevalue(request.param)
    with scratch_database(admin) as dsn:
        load_sql(dsn, SHOP + UNUSED)
        yield dsn


@pytest.fixture(scope="module")
def unlimited(shop_dsn):
    with workbench.connect(shop_dsn) as session:
        return advise(session, WORKLOAD, drop_unused=True)


def new_bytes(advice) -> int:
    return sum(r.size_bytes for r in advice.recommended)


def test_unused_existing_indexes_are_proposed_for_dropping_apart(unlimited):
    assert sorted(u.index.name for u in unlimited.unused) == ["customers_name_idx", "orders_total_idx"]
    draft = unlimited.drop_draft
    assert draft not in unlimited.drafts
    assert sorted(draft.up.splitlines()) == ["DROP INDEX CONCURRENTLY IF EXISTS shop.customers_name_idx;",
                                             "DROP INDEX CONCURRENTLY IF EXISTS shop.orders_total_idx;"]
    assert "CREATE INDEX CONCURRENTLY orders_total_idx ON shop.orders (total);" in draft.down
    assert "COMMENT ON INDEX shop.orders_total_idx IS 'for a report nobody runs any more';" in draft.down
    assert "orders_total_idx" in draft.rationale and "scan" in draft.rationale


def test_the_drop_draft_restores_the_indexes_exactly(unlimited, shop_dsn):
    with workbench.connect(shop_dsn) as session:
        report = dry_run(session, unlimited.drop_draft)
    assert report.restores is True


def test_a_budget_counts_the_kept_indexes_and_fits_the_new_ones(unlimited, shop_dsn):
    kept = kept_size(unlimited)
    budget = kept + new_bytes(unlimited) // 2
    with workbench.connect(shop_dsn) as session:
        tight = advise(session, WORKLOAD, max_size=budget)
    assert tight.budget.total == budget and tight.budget.kept == kept
    assert 0 < len(tight.recommended) < len(unlimited.recommended)
    assert tight.budget.kept + new_bytes(tight) <= budget
    assert tight.to_dict()["budget"]["within"] is True
    assert [(q.number, c.sample.label) for q in tight.queries for c in q.comparisons if c.slower] == []
    assert any("size budget" in reason for _, reason in tight.left_out)


def test_a_budget_below_the_kept_indexes_leaves_no_room(shop_dsn):
    with workbench.connect(shop_dsn) as session:
        advice = advise(session, WORKLOAD, max_size="1MB", measure=False)
    assert advice.recommended == [] and advice.budget.for_new == 0
    assert "Budget 1.0 MB" in advice.summary_text()


def test_the_benefit_size_curve(unlimited):
    curve = unlimited.curve()
    assert curve["budget_bytes"].iloc[0] == kept_size(unlimited) and curve["new_indexes"].iloc[0] == 0
    assert curve["est_speedup"].iloc[0] == 1.0 and curve["loses"].iloc[0]
    assert curve["new_indexes"].iloc[-1] == len(unlimited.recommended) and curve["loses"].iloc[-1] == ""
    assert curve["budget_bytes"].is_monotonic_increasing and curve["measured_speedup"].is_monotonic_increasing
    assert curve["measured_speedup"].iloc[-1] > 2
    figure = unlimited.plot_curve()
    assert figure.axes[0].get_ylabel() == "workload speed-up (x)" and len(figure.axes[0].lines) >= 2


def test_an_unmeasured_curve_ranks_budgets_by_the_estimates(shop_dsn):
    with workbench.connect(shop_dsn) as session:
        curve = advise(session, WORKLOAD, measure=False).curve()
    assert curve["measured_speedup"].isna().all() and curve["est_speedup"].is_monotonic_increasing
    assert curve["est_speedup"].iloc[-1] > curve["est_speedup"].iloc[0] == 1.0


def test_cli_budget_json_is_clean(shop_dsn, capsys, tmp_path):
    from workbench.cli import main

    path = tmp_path / "queries.sql"
    path.write_text(WORKLOAD)
    assert main(["advise", "--dsn", shop_dsn, "-f", str(path), "--max-size", "40MB", "--no-measure",
                 "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["budget"]["total_bytes"] == 40 * 1024 ** 2 and data["budget"]["within"] is True
    assert {i["name"] for i in data["drop_unused"]["indexes"]} == {"shop.customers_name_idx",
                                                                    "shop.orders_total_idx"}
    assert captured.err == ""  # no progress bar: stderr is not a terminal


def test_cli_bad_size_is_a_clear_error(shop_dsn, capsys):
    from workbench.cli import main

    assert main(["advise", "--dsn", shop_dsn, "-f", "nowhere.sql", "--max-size", "lots"]) == 2
    captured = capsys.readouterr()
    assert "not a size: 'lots'" in captured.err and captured.out == ""


def test_nothing_is_left_behind(shop_dsn):
    with psycopg.connect(shop_dsn) as conn:
        names = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'shop'")}
    assert {"orders_total_idx", "customers_name_idx", "orders_org_id_created_at_idx"} <= names
    assert not any(name.startswith("workbench_whatif") for name in names)
