"""Plans from stored EXPLAIN (FORMAT JSON) fixtures: parsing, hot spots, narrative, displays.

No server needed: the fixtures are real plans captured from the nursery demo
(tests/fixtures/plans/capture.py re-captures them).
"""
import json
import warnings
from pathlib import Path

import pytest
import svg_layout

from workbench import graphviz_setup
from workbench.drafts import SqlSyntaxError
from workbench.errors import WorkbenchError
from workbench.plans import parse_statement, plan_from_json
from workbench.plans.diagram import plan_dot
from workbench.plans.hotspots import DESCRIPTIONS, RULES

FIXTURES = Path(__file__).parent / "fixtures" / "plans"


def load(name: str):
    return plan_from_json((FIXTURES / f"{name}.json").read_text(), sql=f"-- {name}")


def test_parsing_keeps_per_node_facts():
    plan = load("seq_scan_discards")
    assert plan.analyzed and not plan.generic
    assert plan.node_types() == ("Gather Merge", "Sort", "Seq Scan")
    scan = plan.nodes[2]
    assert (scan.relation, scan.schema, scan.table) == ("tasks", "nursery", "nursery.tasks")
    assert scan.loops == 3 and scan.parallel_procs == 3 and scan.parallel_aware
    assert scan.rows_out == pytest.approx(10611)
    assert scan.rows_removed == pytest.approx(989391)
    assert "status = 'open'" in scan.filter
    assert scan.buffers.shared_hit + scan.buffers.shared_read > 20000
    assert plan.nodes[1].sort_key == ("tasks.due_date", "tasks.priority")


def test_parallel_times_are_wall_times_not_sums():
    plan = load("seq_scan_discards")
    scan, root = plan.nodes[2], plan.root
    assert scan.inclusive_ms == pytest.approx(scan.actual_total_ms)
    assert scan.inclusive_ms <= root.inclusive_ms
    assert sum(plan.exclusive_ms(n) for n in plan.nodes) == pytest.approx(root.inclusive_ms)


def test_generic_plan_has_estimates_only():
    plan = plan_from_json((FIXTURES / "generic_plan.json").read_text(), generic=True)
    assert not plan.analyzed and plan.total_ms is None
    assert all(node.rows_out is None and node.inclusive_ms is None for node in plan.nodes)
    assert plan.indexes_used() == ("orders_org_id_order_number_key", "order_items_order_id_idx")
    assert [s.kind for s in plan.hot_spots()] == ["slowest"]
    assert plan.hot_spots()[0].title.startswith("costliest step")
    assert "generic plan" in plan.narrative().summary


@pytest.mark.parametrize("name, kinds", [
    ("seq_scan_discards", {"slowest", "seq_scan_discards", "misestimate"}),
    ("sort_spill", {"slowest", "spill"}),
    ("hash_spill", {"slowest", "spill"}),
    ("nested_loop", {"slowest", "nested_loop"}),
    ("heap_fetches", {"slowest", "heap_fetches"}),
    ("delete_rolled_back", {"slowest", "seq_scan_discards"}),
])
def test_hot_spots_of_each_fixture(name, kinds):
    assert {spot.kind for spot in load(name).hot_spots()} == kinds


def test_every_hot_spot_kind_is_documented_and_exercised():
    assert set(RULES) == set(DESCRIPTIONS)
    seen = {s.kind for p in FIXTURES.glob("*.json") for s in load(p.stem).hot_spots()}
    assert seen == set(RULES)


def test_hot_spots_are_ordered_heaviest_first():
    spots = load("seq_scan_discards").hot_spots()
    assert spots[0].kind == "slowest" and spots[0].node_id == 2
    assert spots[0].detail.endswith("is spent here")


def test_misestimate_points_at_the_origin_not_its_parents():
    spots = [s for s in load("seq_scan_discards").hot_spots() if s.kind == "misestimate"]
    assert [s.node_id for s in spots] == [2]
    assert "expected 349 rows per loop and got 3,537" in spots[0].detail


def test_spills_name_the_cause():
    details = [s.detail for s in load("hash_spill").hot_spots() if s.kind == "spill"]
    assert any("external merge" in d for d in details)
    assert any("8 batches" in d for d in details)
    assert all("work_mem (64kB)" in d for d in details)


def test_narrative_follows_execution_order():
    story = load("nested_loop").narrative()
    assert story.structure == {
        "steps": ["Bitmap Index Scan", "Bitmap Heap Scan", "Index Scan", "Nested Loop"],
        "hot_spots": ["slowest", "nested_loop"]}
    assert story.steps[2].text.startswith("Look up rows of nursery.order_items through index")
    assert "over 82,787 loops" in story.steps[2].text
    text = str(story)
    assert text.splitlines()[0].startswith("The plan has 4 step(s)")
    assert "Hot spots:" in text


def test_narrative_of_a_delete_says_what_it_would_change():
    story = load("delete_rolled_back").narrative()
    assert story.steps[-1].text.startswith("Delete the rows in nursery.tasks")
    assert "discarding 999,971" in story.steps[0].text


def test_frame_has_exclusive_and_inclusive_shares():
    frame = load("seq_scan_discards").frame()
    assert list(frame.index) == [0, 1, 2]
    assert frame["time_share"].sum() == pytest.approx(1.0, abs=0.01)
    assert frame["cost_share"].sum() == pytest.approx(1.0, abs=0.01)
    assert frame.loc[2, "node"] == "    Seq Scan"
    assert frame.loc[2, "hot_spots"] == "slowest, seq_scan_discards, misestimate"
    assert frame.loc[2, "time_total_ms"] >= frame.loc[2, "time_self_ms"]


def test_dot_colours_hot_spots():
    dot = plan_dot(load("seq_scan_discards"))
    assert dot.startswith("digraph plan {") and dot.count("->") == 2
    assert "#f8c9c4" in dot  # the slowest node
    assert "n2 -> n1" in dot and "n1 -> n0" in dot


def test_dot_escapes_hostile_names():
    document = json.loads((FIXTURES / "heap_fetches.json").read_text())
    document[0]["Plan"]["Relation Name"] = 'we<ird>"&name'
    dot = plan_dot(plan_from_json(document))
    assert "we&lt;ird&gt;&quot;&amp;name" in dot and 'we<ird>' not in dot


def hostile_plan():
    document = json.loads((FIXTURES / "nested_loop.json").read_text())
    document[0]["Plan"]["Plans"][0]["Relation Name"] = "Order Lines ✓ für Größen"
    return plan_from_json(document)


@pytest.mark.parametrize("plan", [*(p.stem for p in sorted(FIXTURES.glob("*.json"))), "hostile"])
def test_graph_shows_quietly_with_every_text_inside_its_box(plan, capfd):
    plan = hostile_plan() if plan == "hostile" else plan_from_json(
        (FIXTURES / f"{plan}.json").read_text(), generic=plan == "generic_plan")
    try:
        graphviz_setup.configure(prefer_system=False)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            svg = plan.graph()._repr_mimebundle_()["image/svg+xml"]
    finally:
        graphviz_setup.configure()
    assert [str(w.message) for w in caught] == []
    assert capfd.readouterr().err == ""
    assert "graphviz-pure" in svg
    assert svg_layout.collisions(svg) == [] and svg_layout.clipped(svg) == []


def test_dict_and_html_displays():
    plan = load("sort_spill")
    data = plan.to_dict()
    assert data["analyzed"] and data["hot_spots"][0]["kind"] == "slowest"
    assert [n["node"] for n in data["nodes"]] == ["Sort", "Index Scan"]
    assert data["nodes"][1]["parent"] == 0
    json.dumps(data)
    html = plan._repr_html_()
    assert "<ol>" in html and "Hot spots" in html and "<table" in html


def test_not_explain_json_is_a_clear_error():
    with pytest.raises(WorkbenchError, match="not EXPLAIN JSON"):
        plan_from_json('{"Plan?": 1}')
    with pytest.raises(WorkbenchError, match="not EXPLAIN JSON"):
        plan_from_json("Seq Scan on t")


def test_statement_parsing_counts_parameters():
    assert parse_statement("SELECT * FROM t WHERE a = $1 AND b > $3").param_count == 3
    assert parse_statement("DELETE FROM t WHERE a = 1;").writes
    assert not parse_statement("SELECT 1").writes
    assert parse_statement("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d").writes


def test_statement_parsing_refuses_clearly():
    with pytest.raises(SqlSyntaxError, match="line 2, column 7"):
        parse_statement("SELECT 1\nFROM (")
    with pytest.raises(WorkbenchError, match="expected one statement, found 2"):
        parse_statement("SELECT 1; SELECT 2")
    with pytest.raises(WorkbenchError, match="cannot EXPLAIN a CreateStmt"):
        parse_statement("CREATE TABLE t (a int)")


def test_an_explain_statement_is_unwrapped():
    statement = parse_statement("EXPLAIN ANALYZE SELECT * FROM t WHERE a = $1")
    assert statement.sql == "SELECT * FROM t WHERE a = $1" and statement.param_count == 1
