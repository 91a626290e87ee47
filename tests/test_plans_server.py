"""Plans on real servers, both tiers: ANALYZE rolls back, $1 parameters, errors, magic, widget, CLI."""
import json

import psycopg
import pytest

import workbench
from workbench.errors import WorkbenchError
from workbench.plans import explain

SETUP = """
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id bigint PRIMARY KEY, org_id bigint NOT NULL, status text NOT NULL,
                          total numeric(10,2) NOT NULL);
INSERT INTO shop.orders
SELECT g, 1 + g % 20, CASE WHEN g % 50 = 0 THEN 'pending' ELSE 'done' END, g % 1000
FROM generate_series(1, 20000) AS g;
ANALYZE shop.orders;
"""


@pytest.fixture
def shop(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(SETUP)
    with workbench.connect(scratch_dsn) as session:
        yield session


def count(session, where="true"):
    return session.conn.execute(f"SELECT count(*) FROM shop.orders WHERE {where}").fetchone()[0]


def test_analyze_of_a_delete_changes_nothing(shop):
    plan = explain(shop, "DELETE FROM shop.orders WHERE status = 'pending'", analyze=True)
    assert plan.analyzed and plan.root.operation == "Delete"
    assert plan.nodes[1].rows_out == 400
    assert count(shop, "status = 'pending'") == 400
    assert shop.conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_analyze_of_an_update_changes_nothing(shop):
    explain(shop, "UPDATE shop.orders SET total = 0", analyze=True)
    assert count(shop, "total = 0") == 20


def test_parameters_get_a_generic_plan(shop):
    plan = explain(shop, "SELECT * FROM shop.orders WHERE org_id = $1 AND status = $2")
    assert plan.generic and not plan.analyzed
    assert plan.nodes[-1].relation == "orders"
    assert "$1" in str(plan.raw)


def test_parameter_values_give_the_plan_for_them(shop):
    plan = explain(shop, "SELECT count(*) FROM shop.orders WHERE org_id = $1 AND status = $2",
                   analyze=True, params=[3, "pending"])
    assert not plan.generic and plan.params == (3, "pending")
    assert plan.root.rows_out == 1


def test_generic_plan_leaves_no_prepared_statement(shop):
    explain(shop, "SELECT * FROM shop.orders WHERE id = $1")
    left = shop.conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]
    assert left == 0


def test_analyze_needs_parameter_values(shop):
    with pytest.raises(WorkbenchError, match="ANALYZE must run it"):
        explain(shop, "SELECT * FROM shop.orders WHERE id = $1", analyze=True)
    with pytest.raises(WorkbenchError, match="1 parameter"):
        explain(shop, "SELECT * FROM shop.orders WHERE id = $1", params=[1, 2])


def test_untyped_parameter_error_has_a_hint(shop):
    with pytest.raises(WorkbenchError) as info:
        explain(shop, "SELECT $1 + $2")
    assert "EXPLAIN failed" in info.value.what and "$1::" in info.value.hint
    assert shop.conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_plain_explain_runs_nothing(shop):
    plan = explain(shop, "UPDATE shop.orders SET total = 1")
    assert not plan.analyzed and plan.root.operation == "Update"
    assert count(shop, "total = 1") == 20


def test_magic_explains_a_cell(shop):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "workbench.magics")
    shell.user_ns["session"] = shop
    plan = shell.run_cell_magic("explain", "--analyze -o kept", "SELECT count(*) FROM shop.orders")
    assert plan.analyzed and shell.user_ns["kept"] is plan
    generic = shell.run_cell_magic("explain", "", "SELECT * FROM shop.orders WHERE id = $1")
    assert generic.generic


def test_plan_panel_writes_narrative_and_table(shop):
    from workbench.widgets.plan_panel import plan_panel

    panel = plan_panel(shop, "SELECT * FROM shop.orders WHERE status = 'pending'", analyze=True)
    plan = panel.on_click()
    assert plan is not None and plan.analyzed
    kinds = [output["output_type"] for output in panel.out.outputs]
    assert kinds == ["stream", "display_data"]
    assert panel.out.outputs[0]["text"].startswith("The plan has")
    assert panel.status.outputs[0]["text"] == "ran it and rolled back\n"
    assert not panel.button.disabled
    panel.sql.value = "SELECT * FROM"
    assert panel.on_click() is None and panel.plan is None
    assert panel.out.outputs == ()
    assert panel.status.outputs[0]["text"].startswith("problem:")
    assert "does not parse" in panel.status.outputs[0]["text"]


def test_cli_explain_json(shop, capsys):
    from workbench.cli import main

    assert main(["explain", "--dsn", shop.dsn, "--format", "json", "--analyze", "--param", "pending",
                 "SELECT id FROM shop.orders WHERE status = $1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["analyzed"] and data["params"] == ["pending"]
    assert data["hot_spots"][0]["kind"] == "slowest"


def test_workbench_line_magic_shows_and_connects(shop, scratch_dsn):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "workbench.magics")
    shell.user_ns["session"] = shop
    described = shell.run_line_magic("workbench", "")
    assert described.startswith(f"database {shop.database} · user ") and "PostgreSQL" in described
    shown = shell.run_line_magic("workbench", f"connect {scratch_dsn}")
    assert shell.user_ns["session"] is not shop and scratch_dsn.split("dbname=")[-1].split()[0] in shown
    shell.user_ns["session"].close()
