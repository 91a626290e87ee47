"""ER diagrams from hand-made snapshots (no server): golden DOT, Mermaid and DBML text,
selection, highlights, hostile names, a 1,000-table schema, join paths, renderers, widget."""
from __future__ import annotations

import time
import xml.dom.minidom

import pglast
import pytest

from workbench import WorkbenchError, graphviz_setup
from workbench.catalog import (
    Column,
    Constraint,
    ForeignKey,
    Index,
    Namespace,
    Objects,
    Policy,
    Schema,
    Table,
)
from workbench.erd import (
    RENDERERS,
    central_tables,
    erd,
    implied_relationships,
    path,
    register_renderer,
    unregister_renderer,
)
from workbench.erd.synthetic import synthetic_schema
from workbench.lint.finding import Finding

RENDERER_CHOICES = ["system", "pure"]


# --- building snapshots by hand -------------------------------------------------------------

def table(schema, name, columns, *, pk=("id",), fks=(), indexes=(), unique=(), rls=False,
          forced=False, policies=0, kind="table", comment=None):
    """A Table from compact specs: a column is ``"name type"`` (``?`` = nullable) or a tuple."""
    cols = tuple(column(spec, n) for n, spec in enumerate(columns, 1))
    cons = [Constraint(schema, name, f"{name}_pkey", "primary key", tuple(pk))] if pk else []
    cons += [Constraint(schema, name, f"{name}_{'_'.join(u)}_key", "unique", tuple(u))
             for u in unique]
    cons += [foreign_key(schema, name, *fk) for fk in fks]
    idx = [Index(schema, name, f"{name}_pkey", "btree", tuple(pk), "", unique=True, primary=True)
           ] if pk else []
    idx += [Index(schema, name, f"{name}_{'_'.join(u)}_key", "btree", tuple(u), "", unique=True)
            for u in unique]
    idx += [Index(schema, name, f"{name}_{'_'.join(i)}_idx", "btree", tuple(i), "")
            for i in indexes]
    pols = tuple(Policy(schema, name, f"p{n}", "SELECT") for n in range(policies))
    return Table(schema, name, kind, "owner", columns=cols, constraints=tuple(cons),
                 indexes=tuple(idx), policies=pols, rls_enabled=rls, rls_forced=forced,
                 comment=comment)


def column(spec, position):
    if isinstance(spec, tuple):
        name, kind, nullable = spec
    else:
        name, _, kind = spec.partition(" ")
        nullable, kind = kind.endswith("?"), kind.rstrip("?")
    return Column(name, kind, nullable, position=position)


def foreign_key(schema, name, columns, ref, ref_columns=("id",), on_delete="NO ACTION"):
    ref_schema, ref_table = ref
    return ForeignKey(schema, name, f"{name}_{'_'.join(columns)}_fkey", columns=tuple(columns),
                      ref_schema=ref_schema, ref_table=ref_table, ref_columns=tuple(ref_columns),
                      on_delete=on_delete)


def snapshot(*tables):
    names = sorted({t.schema for t in tables})
    objects = Objects(schemas=tuple(Namespace(n, "owner") for n in names),
                      tables=tuple(sorted(tables, key=lambda t: t.key)))
    return Schema(database="handmade", server_version="18.0", server_version_num=180000,
                  objects=objects)


def shop():
    """customers, orders, order_items, products, audit_log (no key), and auth.users."""
    users = ("auth", "users")
    return snapshot(
        table("auth", "users", ["id uuid", "email text?"]),
        table("shop", "customers", ["id bigint", "email text", "name text?", "created_by uuid?"],
              unique=[("email",)], fks=[(("created_by",), users)], indexes=[("created_by",)],
              rls=True, forced=True, policies=2, comment="who buys"),
        table("shop", "orders", ["id bigint", "customer_id bigint", "note text?",
                                 "created_at timestamptz", "created_by uuid?"],
              fks=[(("customer_id",), ("shop", "customers"), ("id",), "CASCADE"),
                   (("created_by",), users)],
              indexes=[("customer_id",), ("created_by",)], rls=True, policies=1),
        table("shop", "order_items", ["order_id bigint", "product_id bigint", "qty integer"],
              pk=("order_id", "product_id"),
              fks=[(("order_id",), ("shop", "orders"), ("id",), "CASCADE"),
                   (("product_id",), ("shop", "products"))],
              rls=True),
        table("shop", "products", ["id bigint", "name text"]),
        table("shop", "audit_log", ["at timestamptz", "what text"], pk=()),
    )


@pytest.fixture(params=RENDERER_CHOICES)
def renderer(request):
    """Each graphviz program in turn: the system's dot (when installed) and graphviz-pure."""
    if request.param == "system" and graphviz_setup.dot_binary().name == "graphviz-pure":
        pytest.skip("no system dot installed (apt-get install graphviz)")
    try:
        yield graphviz_setup.configure(prefer_system=request.param == "system")
    finally:
        graphviz_setup.configure()


def parsed_svg(diagram):
    svg = diagram.svg()
    xml.dom.minidom.parseString(svg.encode("utf-8"))
    return svg


# --- golden text -------------------------------------------------------------------------------

GOLDEN_DOT = r"""
digraph erd {
  graph [rankdir=LR, fontname="Helvetica", fontsize=10, nodesep=0.3, ranksep=0.7, labelloc=b, labeljust=l, tooltip="shop.orders: what it references, 1 step (2 tables, 1 relationship)", label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">
<TR><TD ALIGN="LEFT" WIDTH="367"><B>shop.orders: what it references, 1 step (2 tables, 1 relationship)</B></TD></TR>
<TR><TD ALIGN="LEFT" WIDTH="273">1 table left out by the schemas/include/exclude filters</TD></TR>
<TR><TD ALIGN="LEFT" WIDTH="209">1 foreign key to or from tables not drawn</TD></TR>
<TR><TD ALIGN="LEFT" WIDTH="479">2 audit foreign keys (created_by) shown as → marks, not lines (audit_edges=True draws them)</TD></TR></TABLE>>];
  node [shape=plain, fontname="Helvetica", fontsize=10];
  edge [fontname="Helvetica", fontsize=8, dir=both, color="#566573", arrowsize=0.8];
  "shop.customers" [label=<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" COLOR="#5d6d7e" BGCOLOR="white">
<TR><TD COLSPAN="4" BGCOLOR="#d6eaf8"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" FIXEDSIZE="TRUE" WIDTH="66" HEIGHT="12">
<TR><TD ALIGN="LEFT"><B>customers</B></TD></TR></TABLE></TD></TR>
<TR><TD COLSPAN="4" ALIGN="LEFT" WIDTH="94"><FONT POINT-SIZE="8" COLOR="#707b7c">RLS forced, 2 policies</FONT></TD></TR>
<TR><TD ALIGN="LEFT" WIDTH="19" PORT="c0l"><FONT POINT-SIZE="8" COLOR="#707b7c">PK</FONT></TD><TD ALIGN="LEFT" WIDTH="18">id</TD><TD ALIGN="LEFT" WIDTH="37"><FONT COLOR="#707b7c">bigint</FONT></TD><TD ALIGN="RIGHT" PORT="c0r"></TD></TR>
<TR><TD ALIGN="LEFT" WIDTH="21" PORT="c1l"><FONT POINT-SIZE="8" COLOR="#707b7c">UQ</FONT></TD><TD ALIGN="LEFT" WIDTH="36">email</TD><TD ALIGN="LEFT" WIDTH="28"><FONT COLOR="#707b7c">text</FONT></TD><TD ALIGN="RIGHT" PORT="c1r"></TD></TR>
<TR><TD ALIGN="LEFT" PORT="c2l"></TD><TD ALIGN="LEFT" WIDTH="37">name</TD><TD ALIGN="LEFT" WIDTH="28"><FONT COLOR="#707b7c">text</FONT></TD><TD ALIGN="RIGHT" WIDTH="23" PORT="c2r"><FONT POINT-SIZE="8" COLOR="#707b7c"><I>null</I></FONT></TD></TR>
<TR><TD ALIGN="LEFT" WIDTH="29" PORT="c3l"><FONT POINT-SIZE="8" COLOR="#707b7c">FK IX</FONT></TD><TD ALIGN="LEFT" WIDTH="64">created_by</TD><TD ALIGN="LEFT" WIDTH="98" TOOLTIP="created_by references auth.users (audit column: audit_edges=True draws the line)"><FONT COLOR="#707b7c">uuid → auth.users</FONT></TD><TD ALIGN="RIGHT" WIDTH="23" PORT="c3r"><FONT POINT-SIZE="8" COLOR="#707b7c"><I>null</I></FONT></TD></TR></TABLE>>, tooltip="shop.customers\nwho buys"];
  "shop.orders" [label=<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" COLOR="#5d6d7e" BGCOLOR="white">
<TR><TD COLSPAN="4" BGCOLOR="#f9e79f"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" FIXEDSIZE="TRUE" WIDTH="42" HEIGHT="12">
<TR><TD ALIGN="LEFT"><B>orders</B></TD></TR></TABLE></TD></TR>
<TR><TD COLSPAN="4" ALIGN="LEFT" WIDTH="72"><FONT POINT-SIZE="8" COLOR="#707b7c">RLS on, 1 policy</FONT></TD></TR>
<TR><TD ALIGN="LEFT" WIDTH="19" PORT="c0l"><FONT POINT-SIZE="8" COLOR="#707b7c">PK</FONT></TD><TD ALIGN="LEFT" WIDTH="18">id</TD><TD ALIGN="LEFT" WIDTH="37"><FONT COLOR="#707b7c">bigint</FONT></TD><TD ALIGN="RIGHT" PORT="c0r"></TD></TR>
<TR><TD ALIGN="LEFT" WIDTH="29" PORT="c1l"><FONT POINT-SIZE="8" COLOR="#707b7c">FK IX</FONT></TD><TD ALIGN="LEFT" WIDTH="70">customer_id</TD><TD ALIGN="LEFT" WIDTH="37"><FONT COLOR="#707b7c">bigint</FONT></TD><TD ALIGN="RIGHT" PORT="c1r"></TD></TR>
<TR><TD ALIGN="LEFT" PORT="c2l"></TD><TD ALIGN="LEFT" WIDTH="31">note</TD><TD ALIGN="LEFT" WIDTH="28"><FONT COLOR="#707b7c">text</FONT></TD><TD ALIGN="RIGHT" WIDTH="23" PORT="c2r"><FONT POINT-SIZE="8" COLOR="#707b7c"><I>null</I></FONT></TD></TR>
<TR><TD ALIGN="LEFT" PORT="c3l"></TD><TD ALIGN="LEFT" WIDTH="62">created_at</TD><TD ALIGN="LEFT" WIDTH="72"><FONT COLOR="#707b7c">timestamptz</FONT></TD><TD ALIGN="RIGHT" PORT="c3r"></TD></TR>
<TR><TD ALIGN="LEFT" WIDTH="29" PORT="c4l"><FONT POINT-SIZE="8" COLOR="#707b7c">FK IX</FONT></TD><TD ALIGN="LEFT" WIDTH="64">created_by</TD><TD ALIGN="LEFT" WIDTH="98" TOOLTIP="created_by references auth.users (audit column: audit_edges=True draws the line)"><FONT COLOR="#707b7c">uuid → auth.users</FONT></TD><TD ALIGN="RIGHT" WIDTH="23" PORT="c4r"><FONT POINT-SIZE="8" COLOR="#707b7c"><I>null</I></FONT></TD></TR></TABLE>>, tooltip="shop.orders"];
  "shop.orders":c1r:e -> "shop.customers":c0l:w [arrowtail=crowodot, arrowhead=teetee, tooltip="shop.orders (customer_id) → shop.customers (id)\norders_customer_id_fkey, ON DELETE CASCADE"];
}
"""


def test_golden_dot_of_a_focus_diagram():
    diagram = erd(shop(), "orders", direction="parents", schemas=["shop"], legend=False)
    assert diagram.dot.replace("<TR>", "\n<TR>") == GOLDEN_DOT.lstrip("\n")
    assert diagram.tables == ("shop.customers", "shop.orders")
    assert diagram.notes == ["1 table left out by the schemas/include/exclude filters",
                             "1 foreign key to or from tables not drawn",
                             "2 audit foreign keys (created_by) shown as → marks, not lines "
                             "(audit_edges=True draws them)"]


GOLDEN_MERMAID = """\
%% shop.orders: what it references, 1 step (2 tables, 1 relationship)
%% note: 1 table left out by the schemas/include/exclude filters
%% note: 1 foreign key to or from tables not drawn
%% note: 2 audit foreign keys (created_by) shown as → marks, not lines (audit_edges=True draws them)
erDiagram
    "customers" {
        bigint id PK
        text email UK
        text name "null"
        uuid created_by FK "null; → auth.users"
    }
    "orders" {
        bigint id PK
        bigint customer_id FK
        text note "null"
        timestamptz created_at
        uuid created_by FK "null; → auth.users"
    }
    "customers" ||..o{ "orders" : "orders_customer_id_fkey"
"""

GOLDEN_DBML = """\
// shop.orders: what it references, 1 step (2 tables, 1 relationship)
// note: 1 table left out by the schemas/include/exclude filters
// note: 1 foreign key to or from tables not drawn
// note: 2 audit foreign keys (created_by) shown as → marks, not lines (audit_edges=True draws them)

Table "shop"."customers" {
  "id" bigint [pk, not null]
  "email" text [not null, unique]
  "name" text
  "created_by" uuid [note: '→ auth.users']
  Note: 'RLS forced, 2 policies. who buys'
}

Table "shop"."orders" {
  "id" bigint [pk, not null]
  "customer_id" bigint [not null]
  "note" text
  "created_at" timestamptz [not null]
  "created_by" uuid [note: '→ auth.users']
  Note: 'RLS on, 1 policy'
}

Ref: "shop"."orders"."customer_id" > "shop"."customers"."id" [delete: cascade]
"""


def test_golden_mermaid_and_dbml_draw_the_same_selection():
    diagram = erd(shop(), "orders", direction="parents", schemas=["shop"])
    assert diagram.mermaid() == GOLDEN_MERMAID
    assert diagram.dbml() == GOLDEN_DBML


def test_dot_is_deterministic_whatever_the_snapshot_order():
    schema = shop()
    shuffled = Schema(database="other", server_version="15.0", server_version_num=150000,
                      objects=Objects(schemas=schema.objects.schemas,
                                      tables=tuple(reversed(schema.objects.tables))))
    assert erd(schema).dot == erd(schema).dot == erd(shuffled).dot


def test_composite_keys_and_one_to_one_in_mermaid_and_dbml():
    diagram = erd(shop(), "order_items", direction="parents", schemas=["shop"])
    assert '"orders" ||--o{ "order_items"' in diagram.mermaid()
    assert '("order_id", "product_id") [pk]' in diagram.dbml()
    profile = snapshot(table("s", "users", ["id bigint"]),
                       table("s", "profiles", ["id bigint", "user_id bigint"],
                             unique=[("user_id",)],
                             fks=[(("user_id",), ("s", "users"))]))
    one = erd(profile)
    assert "arrowtail=teeodot" in one.dot
    assert '"users" ||..o| "profiles"' in one.mermaid()
    assert 'Ref: "s"."profiles"."user_id" - "s"."users"."id"' in one.dbml()


# --- choosing what to draw ---------------------------------------------------------------------

@pytest.mark.parametrize("direction, expected", [
    ("parents", {"shop.orders", "shop.customers", "auth.users"}),
    ("children", {"shop.orders", "shop.order_items"}),
    ("both", {"shop.orders", "shop.customers", "auth.users", "shop.order_items"}),
    ("any", {"shop.orders", "shop.customers", "auth.users", "shop.order_items"}),
])
def test_focus_direction_depth_one(direction, expected):
    assert set(erd(shop(), "orders", direction=direction, audit_edges=True).tables) == expected


def test_depth_two_and_zero():
    assert set(erd(shop(), "order_items", depth=2, direction="parents", audit_edges=True
                   ).tables) == {
        "shop.order_items", "shop.orders", "shop.products", "shop.customers", "auth.users"}
    assert erd(shop(), "orders", depth=0).tables == ("shop.orders",)
    both = erd(shop(), "products", depth=2, direction="both").tables
    assert "shop.orders" in both  # products ← order_items → orders: what its referrers reference
    family = snapshot(table("s", "parent", ["id bigint"]),
                      *(table("s", name, ["id bigint", "parent_id bigint"],
                              fks=[(("parent_id",), ("s", "parent"))]) for name in ("a", "b")))
    assert erd(family, "a", depth=2, direction="both").tables == ("s.a", "s.parent")
    assert erd(family, "a", depth=2, direction="any").tables == ("s.a", "s.b", "s.parent")


def test_focus_names_bare_qualified_or_several():
    assert erd(shop(), "shop.orders", depth=0).tables == ("shop.orders",)
    assert erd(shop(), ["orders", "auth.users"], depth=0).tables == ("auth.users", "shop.orders")


def test_unknown_focus_suggests_close_names():
    with pytest.raises(WorkbenchError) as caught:
        erd(shop(), "ordrs")
    assert "shop.orders" in caught.value.hint and "ordrs" in str(caught.value)


def test_ambiguous_focus_asks_to_qualify():
    schema = snapshot(table("a", "items", ["id bigint"]), table("b", "items", ["id bigint"]))
    with pytest.raises(WorkbenchError) as caught:
        erd(schema, "items")
    assert "a.items" in caught.value.hint and "b.items" in caught.value.hint


def test_bad_options_are_refused_clearly():
    for options in ({"direction": "up"}, {"columns": "some"}, {"depth": -1}):
        with pytest.raises(WorkbenchError):
            erd(shop(), "orders", **options)
    with pytest.raises(WorkbenchError, match="no schema 'shp'") as caught:
        erd(shop(), schemas=["shp"])
    assert "shop" in caught.value.hint
    with pytest.raises(WorkbenchError, match="Schema snapshot"):
        erd(object())


def test_include_and_exclude_are_globs_on_bare_or_qualified_names():
    assert erd(shop(), include=["order*"]).tables == ("shop.order_items", "shop.orders")
    assert erd(shop(), exclude=["auth.*", "*_log", "order_items"]).tables == (
        "shop.customers", "shop.orders", "shop.products")
    assert erd(shop(), include="order[s]").tables == ("shop.orders",)
    assert erd(shop(), schemas=["auth"]).tables == ("auth.users",)


def test_names_are_qualified_and_clustered_only_across_schemas():
    several = erd(shop()).dot
    assert "subgraph cluster_0" in several and "<B>shop.orders</B>" in several
    one = erd(shop(), schemas=["shop"]).dot
    assert "subgraph" not in one and "<B>orders</B>" in one


def test_column_modes_and_hidden_audit_columns():
    keys = erd(shop(), "orders", depth=0, columns="keys", legend=False).dot
    assert ">customer_id<" in keys and ">note<" not in keys and "+2 more columns" in keys
    none = erd(shop(), "orders", columns="none").dot
    assert "PORT=" not in none and '"shop.orders" -> "shop.customers"' in none
    audit = erd(shop(), "orders", hide_audit=True, legend=False)
    assert ">created_at<" not in audit.dot and ">created_by<" not in audit.dot
    assert "auth.users" not in audit.tables
    assert any("audit columns hidden" in note for note in audit.notes)
    custom = erd(shop(), "orders", depth=0, hide_audit=True, audit_columns=["note"], legend=False)
    assert ">note<" not in custom.dot and ">created_at<" in custom.dot


def test_views_and_partitions_are_left_out_with_a_note():
    view = table("shop", "order_totals", ["order_id bigint?"], pk=(), kind="view")
    view = Table(**{**view.__dict__, "view": object()})
    part = Table(**{**table("shop", "orders_2026", ["id bigint"]).__dict__,
                    "partition_of": ("shop", "orders")})
    schema = snapshot(*shop().objects.tables, view, part)
    diagram = erd(schema)
    assert "shop.order_totals" not in diagram.tables and "shop.orders_2026" not in diagram.tables
    assert "1 view not drawn (views=True draws them)" in diagram.notes
    assert any(note.startswith("1 partition not drawn") for note in diagram.notes)
    assert "shop.order_totals" in erd(schema, views=True).tables


# --- what the diagram shows ----------------------------------------------------------------------

def test_edges_run_between_key_columns_with_crows_feet():
    dot = erd(shop(), audit_edges=True).dot
    assert ('"shop.orders":c1r:e -> "shop.customers":c0l:w [arrowtail=crowodot, '
            'arrowhead=teetee,') in dot
    assert ('"shop.orders":c4r:e -> "auth.users":c0l:w [arrowtail=crowodot, '
            'arrowhead=teeodot,') in dot
    edges = [line for line in dot.splitlines() if " -> " in line]
    assert "ON DELETE CASCADE" in dot and not any("label=" in line for line in edges)
    labelled = [line for line in erd(shop(), on_delete=True).dot.splitlines() if " -> " in line]
    assert sum('label="ON DELETE CASCADE"' in line for line in labelled) == 2


def test_rls_badges_and_sizes():
    dot = erd(shop(), sizes=True).dot
    for badge in ("RLS forced, 2 policies", "RLS on, 1 policy", "RLS on, 0 policies", "RLS off",
                  "rows unknown"):
        assert badge in dot
    assert "rows unknown" not in erd(shop()).dot


def test_builtin_highlights_come_from_the_snapshot():
    diagram = erd(shop())
    marks = diagram.marks
    rules = {(f.table, f.column, f.rule) for found in marks.tables.values() for f in found}
    rules |= {(f.table, f.column, f.rule) for found in marks.columns.values() for f in found}
    assert rules == {("audit_log", None, "no_primary_key"), ("audit_log", None, "rls_disabled"),
                     ("products", None, "rls_disabled"),
                     ("order_items", None, "rls_enabled_no_policy"),
                     ("order_items", "product_id", "unindexed_foreign_key")}
    node = next(line for line in diagram.dot.splitlines() if '"shop.audit_log" [' in line)
    assert 'BORDER="3"' in node and 'COLOR="#c0392b"' in node and "no_primary_key" in node
    items = next(line for line in diagram.dot.splitlines() if '"shop.order_items" [' in line)
    assert 'BGCOLOR="#fad7a0" TOOLTIP="unindexed_foreign_key:' in items
    users = next(line for line in diagram.dot.splitlines() if '"auth.users" [' in line)
    assert 'BORDER="1"' in users, "RLS off is only a problem where the schema uses RLS"
    assert "penwidth=2" in diagram.dot
    assert 'BORDER="3"' not in erd(shop(), highlight=False).dot


def test_any_findings_can_be_highlighted():
    findings = [Finding(rule="team/naming", level="info", message="plural <names>",
                        schema="shop", table="orders", column="note"),
                Finding(rule="x", level="error", message="elsewhere", schema="shop",
                        table="products")]
    diagram = erd(shop(), "orders", depth=0, findings=findings, highlight=False)
    assert 'BGCOLOR="#aed6f1" TOOLTIP="team/naming: plural &lt;names&gt;">note<' in diagram.dot
    assert 'COLOR="#2874a6"' in diagram.dot
    assert "1 finding about tables not drawn" in diagram.notes


def test_a_finding_passed_in_replaces_the_same_builtin_one():
    mine = Finding(rule="unindexed_foreign_key", level="error", message="index it",
                   schema="shop", table="order_items", column="product_id")
    found = erd(shop(), "order_items", depth=0, findings=[mine]).findings()
    assert found[found.column == "product_id"][["level", "message"]].values.tolist() == [
        ["error", "index it"]]


def test_legend_explains_markers_and_colours():
    dot = erd(shop(), "orders").dot
    legend = next(line for line in dot.splitlines() if line.startswith('  "erd legend"'))
    for text in ("primary key", "foreign key", "NOT NULL", "Row Level Security", "crow", "focus"):
        assert text in legend
    assert '"erd legend"' not in erd(shop(), legend=False).dot


def test_large_selections_show_fewer_columns_and_say_so():
    schema = synthetic_schema(120)
    diagram = erd(schema)
    assert diagram.selection.columns == "keys"
    assert "121 tables: only key columns shown (columns='all' shows every column)" in diagram.notes
    assert "121 tables: only key columns shown" in diagram.dot
    assert erd(schema, columns="all").selection.columns == "all"


# --- implied relationships ----------------------------------------------------------------------

def loose():
    """``orders.customer_id`` and ``notes.order_id`` have no foreign key; ``tags.label`` is text."""
    return snapshot(
        table("s", "customers", ["id uuid", "email text"], unique=[("email",)]),
        table("s", "orders", ["id bigint", "customer_id uuid", "email text"]),
        table("s", "notes", ["id bigint", "from_order_id bigint?", "customer_id bigint"]),
        table("s", "categories", ["id bigint"]),
        table("s", "products", ["id bigint", "category_id bigint"],
              fks=[(("category_id",), ("s", "categories"))]),
    )


def test_implied_relationships_match_name_and_type():
    frame = implied_relationships(loose())
    assert frame[["table", "column", "ref_table", "ref_column"]].values.tolist() == [
        ["notes", "from_order_id", "orders", "id"], ["orders", "customer_id", "customers", "id"]]
    assert frame.loc[1, "type"] == "uuid" and "customers" in frame.loc[1, "reason"]


def test_implied_relationships_are_drawn_only_on_request():
    assert "style=dashed" not in erd(loose()).dot
    dashed = erd(loose(), implied=True)
    assert dashed.dot.count("style=dashed") == 2
    assert "implied relationship" in dashed.dot
    assert ('// implied, no foreign key: "s"."orders"."customer_id" > "s"."customers"."id"'
            in dashed.dbml())
    assert '"customers" ||..o{ "orders" : "implied customer_id"' in dashed.mermaid()
    assert set(erd(loose(), "customers", implied=True).tables) == {"s.customers", "s.orders"}


# --- central tables and join paths ------------------------------------------------------------

def test_central_tables_rank_by_incoming_references():
    top = central_tables(shop(), 3)
    assert top.columns.tolist() == ["schema", "table", "referenced_by", "references", "columns"]
    assert top[["table", "referenced_by", "references"]].values.tolist() == [
        ["users", 2, 0], ["orders", 1, 2], ["customers", 1, 1]]
    assert central_tables(shop(), 1, hide_audit=True)["table"].tolist() == ["orders"]


def test_path_finds_shortest_joins_and_writes_sql_that_parses():
    paths = path(shop(), "order_items", "customers")
    assert [str(p) for p in paths] == ["shop.order_items → shop.orders → shop.customers"]
    sql = paths.sql
    assert sql == ("SELECT oi.*, c.*\n"
                   "FROM shop.order_items AS oi\n"
                   "JOIN shop.orders AS o ON o.id = oi.order_id\n"
                   "JOIN shop.customers AS c ON c.id = o.customer_id;")
    assert pglast.parse_sql(sql)
    assert "SQL of path 1:" in repr(paths)


def test_path_skips_audit_keys_unless_asked_and_reports_no_path():
    through_users = path(shop(), "customers", "orders", hide_audit=False)
    assert [str(p) for p in through_users] == ["shop.customers ← shop.orders"]
    none = path(shop(), "audit_log", "orders")
    assert len(none) == 0 and "no join path" in repr(none)
    with pytest.raises(WorkbenchError, match="no join path"):
        _ = none.sql
    with pytest.raises(WorkbenchError, match="same table"):
        path(shop(), "orders", "shop.orders")


def test_path_lists_every_shortest_path_and_can_avoid_tables():
    schema = snapshot(
        table("s", "tenants", ["id bigint"]),
        table("s", "a", ["id bigint", "tenant_id bigint"],
              fks=[(("tenant_id",), ("s", "tenants"))]),
        table("s", "b", ["id bigint", "tenant_id bigint", "a_id bigint", "a2_id bigint?"],
              fks=[(("tenant_id",), ("s", "tenants")), (("a_id",), ("s", "a")),
                   (("a2_id",), ("s", "a"))]),
        table("s", "c", ["id bigint", "tenant_id bigint", "b_id bigint"],
              fks=[(("tenant_id",), ("s", "tenants")), (("b_id",), ("s", "b"))]))
    shortest = path(schema, "a", "c")
    assert [str(p) for p in shortest] == ["s.a ← s.b ← s.c", "s.a ← s.b ← s.c",
                                          "s.a → s.tenants ← s.c"]
    avoided = path(schema, "a", "c", avoid=["tenants"])
    assert [str(p) for p in avoided] == ["s.a ← s.b ← s.c", "s.a ← s.b ← s.c"]
    assert {step.relationship.name for p in avoided for step in p.steps[:1]} == {
        "b_a_id_fkey", "b_a2_id_fkey"}
    for join_path in avoided:
        assert pglast.parse_sql(join_path.sql)


def test_composite_foreign_keys_join_on_every_column():
    schema = snapshot(
        table("s", "parents", ["a int", "b int"], pk=("a", "b")),
        table("s", "kids", ["id int", "pa int", "pb int"],
              fks=[(("pa", "pb"), ("s", "parents"), ("a", "b"))]))
    assert path(schema, "kids", "parents").sql.endswith("ON p.a = k.pa AND p.b = k.pb;")


# --- hostile names, size, renderers ------------------------------------------------------------

HOSTILE = ['we"ird', "a<b>&c", "with space", "ünïcödé ✓ 表", "x" * 60 + "end", "back\\slash",
           "new\nline", "ctl\x01char", "'single'", "}{];--", "SELECT"]


def hostile():
    tables = [table("sch<&>\"", name, ["id bigint", (f"{name} ref", "my \"type\"", True)],
                    fks=[((f"{name} ref",), ("sch<&>\"", HOSTILE[n - 1]))] if n else [],
                    comment=f"comment with <{name}>")
              for n, name in enumerate(HOSTILE)]
    return snapshot(*tables, table("plain", "t", ["id bigint"]))


def test_hostile_names_are_escaped_in_dot(renderer):
    diagram = erd(hostile(), findings=[Finding(rule="r<1>", level="error", message='"&" <here>',
                                               schema='sch<&>"', table="a<b>&c", column="id")])
    dot = diagram.dot
    assert "<B>sch&lt;&amp;&gt;&quot;.a&lt;b&gt;&amp;c</B>" in dot and "we&quot;ird" in dot
    assert "TOOLTIP=\"r&lt;1&gt;: &quot;&amp;&quot; &lt;here&gt;\"" in dot
    assert "\x01" not in dot and "new\nline" not in dot
    assert len(diagram.tables) == len(HOSTILE) + 1
    svg = parsed_svg(diagram)
    assert "a&lt;b&gt;&amp;c" in svg and "\x01" not in svg
    assert "&quot;&amp;&quot; &lt;here&gt;" in svg


def test_hostile_names_in_mermaid_dbml_and_sql():
    diagram = erd(hostile())
    mermaid = diagram.mermaid()
    assert mermaid.count("\n    \"") >= len(HOSTILE) and '"sch<&>_.we_ird"' in mermaid
    dbml = diagram.dbml()
    assert 'Table "sch<&>\'"."we\'ird" {' in dbml and '"back\\slash"' in dbml
    assert '"with space ref" "my \'type\'"' in dbml
    assert "Note: 'RLS off. comment with <\\'single\\'>'" in dbml
    sql = path(hostile(), HOSTILE[0], HOSTILE[-1]).sql
    assert '"we""ird"' in sql and '"SELECT"' in sql
    assert pglast.parse_sql(sql)


def test_a_thousand_tables_render_with_readable_defaults(renderer):
    schema = synthetic_schema(1000)
    started = time.perf_counter()
    whole = erd(schema)
    assert whole.selection.columns == "none"
    assert ("1001 tables: columns not shown (columns='keys' or 'all' shows them, "
            "or focus on one table)") in whole.notes
    assert "<svg" in whole.svg()
    focus = erd(schema, "t0010", depth=2)
    assert 1 < len(focus.tables) < 100 and "<svg" in focus.svg()
    assert time.perf_counter() - started < 60


def test_renderers_are_a_registry_that_refuses_doubles(tmp_path):
    assert {"svg", "png", "dot", "gv", "mmd", "dbml"} <= set(RENDERERS)
    with pytest.raises(WorkbenchError, match="already registered"):
        register_renderer("svg", lambda diagram: "")

    @register_renderer(".TXT")
    def titles(diagram):
        return diagram.title + "\n"

    try:
        saved = erd(shop()).save(tmp_path / "shop.txt")
        assert saved.read_text() == "schemas auth, shop (6 tables, 3 relationships)\n"
    finally:
        assert unregister_renderer("txt") is titles
    with pytest.raises(WorkbenchError, match="no renderer for .txt") as caught:
        erd(shop()).save(tmp_path / "shop.txt")
    assert ".svg" in caught.value.hint
    with pytest.raises(WorkbenchError, match="no extension"):
        erd(shop()).save(tmp_path / "shop")


def test_save_writes_each_format(tmp_path, renderer):
    diagram = erd(shop(), "orders")
    for name in ("d.svg", "d.png", "d.dot", "d.mmd", "d.dbml"):
        diagram.save(tmp_path / "out" / name)
    assert (tmp_path / "out/d.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "out/d.dot").read_text() == diagram.dot
    assert "erDiagram" in (tmp_path / "out/d.mmd").read_text().splitlines()
    assert (tmp_path / "out/d.dbml").read_text() == diagram.dbml()
    assert "<svg" in (tmp_path / "out/d.svg").read_text()
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_diagram_shows_itself_as_svg_with_its_notes():
    diagram = erd(shop(), "orders", hide_audit=True)
    svg = diagram._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "audit columns hidden" in svg
    assert repr(diagram).startswith("<Diagram shop.orders:")
    assert "note: audit columns" in repr(diagram)


def test_diagram_in_a_notebook_scales_down_to_the_notebook_width():
    from IPython.core.formatters import DisplayFormatter

    diagram = erd(shop(), "orders", hide_audit=True)
    html = diagram._repr_html_()
    shown = xml.dom.minidom.parseString(html.encode("utf-8")).documentElement
    assert shown.tagName == "div" and "max-width:100%" in shown.getAttribute("style")
    svg = shown.getElementsByTagName("svg")[0]
    assert {"max-width:100%", "height:auto"} <= set(svg.getAttribute("style").split(";"))
    assert svg.getAttribute("viewBox") and "audit columns hidden" in html
    data, _ = DisplayFormatter().format(diagram)
    assert data["text/html"] == html


# --- the widget ----------------------------------------------------------------------------------

def test_explorer_redraws_on_change_and_has_a_plain_twin():
    from workbench.widgets.erd_explorer import explorer, explorer_html

    box = explorer(shop(), "orders")
    assert box.state() == {"focus": "shop.orders", "depth": 1, "direction": "both",
                           "columns": "auto", "hide_audit": True}
    assert "<svg" in box.view.value and "customers" in box.view.value
    box.controls["focus"].value = "shop.products"
    assert "<title>shop.products</title>" in box.view.value
    assert "<title>shop.customers</title>" not in box.view.value
    box.controls["direction"].value = "any"
    box.controls["depth"].value = 3
    assert "<title>shop.customers</title>" in box.view.value
    html = explorer_html(shop(), "products", depth=2, direction="any")
    assert "<title>shop.orders</title>" in html
    assert "no table" in explorer_html(shop(), "nope")


def test_explorer_status_line_plain_diagram_and_errors_as_messages():
    from workbench.widgets.erd_explorer import explorer

    box = explorer(shop(), "orders")
    assert box.diagram is not None and "shop.orders" in box.diagram.tables
    assert box.status.outputs[0]["text"].startswith(f"{len(box.diagram.tables)} table(s)")
    box.options["columns_per_table"] = 3  # not an erd() option: the drawing fails
    box.controls["depth"].value = 2
    assert box.diagram is None and box.view.value == ""
    assert box.status.outputs[0]["text"].startswith("problem: unexpected TypeError")
    assert not any(control.disabled for control in box.controls.values())


def test_explorer_starts_from_the_given_control_values():
    import pytest

    from workbench.errors import WorkbenchError
    from workbench.widgets.erd_explorer import explorer

    box = explorer(shop(), "products", depth=3, direction="any", hide_audit=False)
    assert box.state() == {"focus": "shop.products", "depth": 3, "direction": "any",
                           "columns": "auto", "hide_audit": False}
    assert "shop.customers" in box.diagram.tables
    with pytest.raises(WorkbenchError, match="depth 0–4"):
        explorer(shop(), "products", depth=9)
