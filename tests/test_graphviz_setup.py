import os
import shutil
import subprocess
from pathlib import Path

import graphviz
import psycopg
import pytest
import svg_layout

import workbench
from workbench import graphviz_setup
from workbench.erd import erd
from workbench.erd.synthetic import synthetic_schema
from workbench.erd.text_width import text_width


def _svg() -> str:
    graph = graphviz.Digraph()
    graph.edge("orders", "customers")
    return graph.pipe(format="svg").decode()


@pytest.fixture
def pure():
    """graphviz-pure as the renderer, whether or not a system dot is installed."""
    try:
        yield graphviz_setup.configure(prefer_system=False)
    finally:
        graphviz_setup.configure()


@pytest.fixture(scope="module")
def nursery():
    with workbench.connect() as session:
        return workbench.inspect(session)


def test_pure_renderer_draws_without_system_dot(pure):
    assert pure.name == "graphviz-pure"
    assert "<svg" in _svg()


def test_default_renderer_draws():
    graphviz_setup.configure()
    assert "orders" in _svg()


def test_widths_are_those_graphviz_measures_in_dejavu_sans(pure):
    text = "delivery_number timestamp with time zone (RLS on, 4 policies)"
    graph = graphviz.Digraph(node_attr={"shape": "box", "margin": "0", "width": "0",
                                        "height": "0", "fontname": "DejaVu Sans", "fontsize": "10"})
    graph.node("regular", text)
    graph.node("bold", f"<<B>{text}</B>>")
    svg = graph.pipe(format="svg").decode()
    regular, bold = (svg_layout.outline(node) for node in svg_layout.shapes(svg))
    assert regular[1] - regular[0] == pytest.approx(text_width(text, 10), abs=0.5)
    assert bold[1] - bold[0] == pytest.approx(text_width(text, 10, bold=True), abs=0.5)


@pytest.mark.parametrize("focus, depth", [("orders", 2), ("orders", 0), (None, 1)])
def test_pure_renderer_keeps_names_types_and_legend_apart(pure, nursery, focus, depth):
    svg = erd(nursery, focus, depth=depth).svg()
    assert "graphviz-pure" in svg
    assert svg_layout.collisions(svg) == []
    assert svg_layout.clipped(svg) == []


LONG_NAMES = """
CREATE SCHEMA "warehouse and distribution";
CREATE TABLE "warehouse and distribution".{long} (id integer PRIMARY KEY);
CREATE TABLE "Order Lines ✓ für Größen" (
    id integer PRIMARY KEY,
    t integer REFERENCES "warehouse and distribution".{long}
);
"""


def test_pure_renderer_keeps_long_and_foreign_names_inside_their_boxes(pure, scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(LONG_NAMES.replace("{long}", "ttttt_title_" + "l" * 40))
    with workbench.connect(scratch_dsn) as session:
        schema = workbench.inspect(session)
    svg = erd(schema).svg()
    assert svg_layout.collisions(svg) == []
    assert svg_layout.clipped(svg) == []


ROOT = Path(__file__).resolve().parents[1]


def run_system_packages(tmp_path, *args, uid=0, dot=False):
    """scripts/system-packages.sh with stand-ins for id, apt-get (and dot) on an empty PATH;
    returns the script's result and the apt-get commands it ran."""
    bin_dir, calls = tmp_path / "bin", tmp_path / "apt-get calls"
    bin_dir.mkdir(parents=True)
    stand_ins = {"id": f"echo {uid}", "apt-get": f'echo "apt-get $*" >> "{calls}"'}
    if dot:
        stand_ins["dot"] = "exit 0"
    for name, body in stand_ins.items():
        (bin_dir / name).write_text(f"#!{shutil.which('sh')}\n{body}\n")
        (bin_dir / name).chmod(0o755)
    result = subprocess.run([shutil.which("bash"), str(ROOT / "scripts/system-packages.sh"), *args],
                            env={"PATH": str(bin_dir)}, capture_output=True, text=True)
    return result, calls.read_text().splitlines() if calls.exists() else []


def test_lab_installs_graphviz_as_root_after_one_apt_get_update(tmp_path):
    result, calls = run_system_packages(tmp_path, "lab")
    assert result.returncode == 0
    assert calls == ["apt-get update -qq",
                     "apt-get install -y -qq --no-install-recommends graphviz"]


def test_test_tiers_install_graphviz_with_the_browser(tmp_path):
    result, calls = run_system_packages(tmp_path)
    assert result.returncode == 0 and calls[0] == "apt-get update -qq" and len(calls) == 2
    assert {"graphviz", "chromium"} <= set(calls[1].split())


def test_system_packages_skip_with_a_note_where_they_may_not_install(tmp_path):
    result, calls = run_system_packages(tmp_path, "lab", uid=1000)
    assert result.returncode == 0 and calls == []
    assert "not installing graphviz" in result.stderr and "graphviz-pure" in result.stderr
    installed, calls = run_system_packages(tmp_path / "with dot", "lab", dot=True)
    assert installed.returncode == 0 and calls == [] and installed.stderr == ""


def test_make_lab_installs_system_packages_before_starting():
    steps = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    install = steps.index("scripts/system-packages.sh lab")
    assert install < next(n for n, step in enumerate(steps) if step.endswith("workbench lab --port 8888"))


def test_drawing_keeps_the_renderer_chosen(pure, tmp_path, monkeypatch):
    from workbench.plans import plan_from_json

    (tmp_path / "dot").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    assert graphviz_setup.dot_binary() == tmp_path / "dot"  # a system dot is found
    plan = plan_from_json((ROOT / "tests/fixtures/plans/sort_spill.json").read_text())
    assert "<svg" in plan.graph()._repr_mimebundle_()["image/svg+xml"]
    assert "<svg" in erd(synthetic_schema(3)).svg()
    assert graphviz_setup.ensure_configured() == pure


def test_system_dot_finds_every_fixed_box_big_enough(nursery):
    system = graphviz_setup.dot_binary()
    if system.name == graphviz_setup.PURE_NAME:
        pytest.skip("no system dot installed (apt-get install graphviz)")
    for diagram in (erd(nursery, "orders", depth=2), erd(nursery)):
        drawn = subprocess.run([str(system), "-Tsvg"], input=diagram.dot.encode(),
                               capture_output=True, check=True)
        assert b"too small" not in drawn.stderr
