"""Index advice without a server: query reading, candidate SQL (golden), existing-index checks,
naming, Drafts, workload files, hints and the greedy choice."""
import io

import pytest

from workbench.catalog import Column, Index, Objects, Schema, Table
from workbench.drafts import check_sql
from workbench.indexes import analyse, candidates, queries_from_sql
from workbench.errors import WorkbenchError
from workbench.indexes.budget import parse_size, set_gain
from workbench.indexes.choose import Limits, Selection, choose, greedy, weights
from workbench.indexes.drafts import index_draft, unique_name
from workbench.indexes.evaluate import Evaluation
from workbench.indexes.existing import signature
from workbench.indexes.hints import rewrite_hints
from workbench.indexes.model import Candidate, KeyPart
from workbench.indexes.sources import Query
from workbench.indexes.stats import ColumnStats
from workbench.plans import Plan, PlanNode


def table(name, columns, indexes=(), schema="app"):
    made = tuple(Index(schema, name, index_name, "btree", (), definition)
                 for index_name, definition in indexes)
    return Table(schema, name, "table", "owner", columns=tuple(Column(c, "text") for c in columns),
                 indexes=made)


ORDERS = table("orders", ["id", "org_id", "customer_id", "status", "total", "created_at", "deleted_at",
                          "email", "name", "note"],
               [("orders_pkey", "CREATE UNIQUE INDEX orders_pkey ON app.orders USING btree (id)")])
ITEMS = table("items", ["id", "org_id", "order_id", "quantity"],
              [("items_pkey", "CREATE UNIQUE INDEX items_pkey ON app.items USING btree (id)")])
EVENTS = table("events", ["id", "org_id", "status", "created_at"], [
    ("events_org_created_idx", "CREATE INDEX events_org_created_idx ON app.events USING btree (org_id, created_at)"),
    ("events_pending_idx", "CREATE INDEX events_pending_idx ON app.events USING btree (created_at) "
                           "WHERE (status = 'pending'::text)"),
    ("events_lower_idx", "CREATE INDEX events_lower_idx ON app.events USING btree (lower(status))"),
])
HOSTILE = table("Order Items", ["id", 'we"ird', "Mixed Case"], schema="Sales Data")
SCHEMA = Schema("test", "18.0", 180000, Objects(tables=(ORDERS, ITEMS, EVENTS, HOSTILE)))


def sqls(sql, **options):
    return [c.create_sql() for c in candidates(sql, SCHEMA, **options).candidates]


# --- reading queries ------------------------------------------------------------------------------

def test_query_reading_resolves_aliases_and_unqualified_columns():
    shape = analyse("SELECT o.id, quantity FROM app.orders AS o JOIN app.items i ON i.order_id = o.id "
                    "WHERE o.org_id = $1 AND status = 'open' ORDER BY created_at DESC LIMIT 5", SCHEMA)
    orders, items = shape.accesses
    assert [(c.op, c.key.sql, c.constant, c.params) for c in orders.conditions] == [
        ("eq", "org_id", False, (1,)), ("eq", "status", True, ())]
    assert [k.sql for k in items.joins] == ["order_id"] and [k.sql for k in orders.joins] == ["id"]
    assert [(k.sql, desc) for k, desc in orders.order] == [("created_at", True)] and orders.limited
    assert orders.columns == {"id", "org_id", "status", "created_at"}
    assert items.columns == {"quantity", "order_id"}


def test_query_reading_sees_subqueries_ctes_and_writes():
    shape = analyse("WITH recent AS (SELECT id FROM app.orders WHERE created_at > now() - interval '1 day') "
                    "DELETE FROM app.items WHERE order_id IN (SELECT id FROM recent) "
                    "AND EXISTS (SELECT 1 FROM app.orders o WHERE o.id = items.order_id AND o.org_id = 3)",
                    SCHEMA)
    assert shape.kind == "delete"
    kinds = {(a.table, c.op, c.key.sql) for a in shape.accesses for c in a.conditions}
    assert ("orders", "range", "created_at") in kinds and ("orders", "eq", "org_id") in kinds
    items = shape.for_table("app", "items")[0]
    assert [k.sql for k in items.joins] == ["order_id", "order_id"]


def test_aggregates_are_not_order_keys():
    shape = analyse("SELECT org_id, count(*) FROM app.orders GROUP BY org_id ORDER BY 2 DESC", SCHEMA)
    assert shape.accesses[0].order == []


# --- candidate SQL, golden ----------------------------------------------------------------------------

def test_equality_then_range_then_order():
    assert sqls("SELECT * FROM app.orders WHERE org_id = $1 AND customer_id = $2 "
                "AND created_at >= $3 ORDER BY created_at") == [
        "CREATE INDEX ON app.orders (org_id, customer_id, created_at)",
        "CREATE INDEX ON app.orders (org_id)",
        "CREATE INDEX ON app.orders (customer_id)",
    ]  # no (created_at) alone: inside one tenant the tenant leads


def test_a_range_alone_is_a_candidate_without_a_tenant():
    assert "CREATE INDEX ON app.orders (created_at)" in sqls(
        "SELECT * FROM app.orders WHERE customer_id = $1 AND created_at >= $2")


def test_partial_index_for_a_rare_status():
    assert "CREATE INDEX ON app.orders (created_at) WHERE status = 'pending'" in sqls(
        "SELECT id, created_at FROM app.orders WHERE status = 'pending' ORDER BY created_at LIMIT 20")


def test_soft_delete_filter_becomes_the_partial_predicate():
    found = sqls("SELECT id FROM app.orders WHERE org_id = $1 AND deleted_at IS NULL "
                 "ORDER BY created_at DESC LIMIT 10")
    assert "CREATE INDEX ON app.orders (org_id, created_at) WHERE deleted_at IS NULL" in found
    assert "CREATE INDEX ON app.orders (org_id, created_at) INCLUDE (id) WHERE deleted_at IS NULL" in found


def test_high_cardinality_constant_is_not_a_partial_predicate():
    stats = {("app", "orders", "email"): ColumnStats(-1.0, 20, 0.0, 100000.0)}
    found = sqls("SELECT id FROM app.orders WHERE email = 'a@b.c'", stats=stats)
    assert not any("WHERE email" in sql for sql in found)
    assert "CREATE INDEX ON app.orders (email)" in found


def test_expression_index_for_a_function_in_the_predicate():
    found = candidates("SELECT id, name FROM app.orders WHERE lower(email) = lower($1)", SCHEMA).candidates
    assert [c.create_sql() for c in found] == [
        "CREATE INDEX ON app.orders (lower(email))",
        "CREATE INDEX ON app.orders (lower(email)) INCLUDE (id, name)"]
    assert found[0].expression and "expression" in found[0].kinds


def test_cast_expressions_are_parenthesised():
    assert "CREATE INDEX ON app.orders ((CAST(created_at AS date)))" in sqls(
        "SELECT id FROM app.orders WHERE created_at::date = $1")


def test_include_columns_for_an_index_only_scan():
    found = sqls("SELECT id, total FROM app.orders WHERE org_id = $1 AND created_at >= $2")
    assert "CREATE INDEX ON app.orders (org_id, created_at) INCLUDE (id, total)" in found


def test_select_star_gets_no_include():
    assert not any("INCLUDE" in sql for sql in sqls("SELECT * FROM app.orders WHERE org_id = $1"))


def test_trigram_gin_for_substring_search_only_when_available():
    query = "SELECT id FROM app.orders WHERE name ILIKE '%rose%'"
    assert "CREATE INDEX ON app.orders USING gin (name gin_trgm_ops)" in sqls(query, trigram=True)
    assert sqls(query) == []


def test_descending_order_is_relative_to_the_first_key():
    found = sqls("SELECT id FROM app.orders WHERE org_id = $1 ORDER BY created_at DESC, id LIMIT 10")
    assert found[0] == "CREATE INDEX ON app.orders (org_id, created_at, id DESC)"


def test_join_keys_get_candidates():
    found = sqls("SELECT o.id, i.quantity FROM app.orders o JOIN app.items i ON i.order_id = o.id "
                 "WHERE o.org_id = $1")
    assert "CREATE INDEX ON app.items (order_id)" in found


def test_candidates_reparse():
    for sql in sqls("SELECT id FROM app.orders WHERE org_id = $1 AND status IN ('a', 'b') "
                    "AND lower(email) LIKE 'x%' AND created_at < now() ORDER BY created_at", trigram=True):
        check_sql(sql)


# --- existing indexes ---------------------------------------------------------------------------------

def test_duplicates_and_prefixes_of_existing_indexes_are_dropped():
    generated = candidates("SELECT * FROM app.events WHERE org_id = $1 ORDER BY created_at", SCHEMA)
    assert generated.candidates == []
    assert sorted(name for _, name in generated.covered) == ["events_org_created_idx"] * 2


def test_existing_partial_and_expression_indexes_match_despite_casts():
    generated = candidates("SELECT id FROM app.events WHERE status = 'pending' ORDER BY created_at", SCHEMA)
    assert ("events_pending_idx" in {name for _, name in generated.covered})
    assert all(c.create_sql() != "CREATE INDEX ON app.events (created_at) WHERE status = 'pending'"
               for c in generated.candidates)
    generated = candidates("SELECT id FROM app.events WHERE lower(status) = $1", SCHEMA)
    assert {name for _, name in generated.covered} == {"events_lower_idx"}


def test_signature_reads_in_lists_like_pg_get_indexdef():
    ours = signature("CREATE INDEX ON app.t (a) WHERE s IN ('x', 'y')")
    catalog = signature("CREATE INDEX t_idx ON app.t USING btree (a) WHERE (s = ANY (ARRAY['x'::text, 'y'::text]))")
    assert ours == catalog
    assert signature("CREATE INDEX ON t (a DESC, b)").keys == ("a", "b DESC")


# --- names and drafts ---------------------------------------------------------------------------------

def test_hostile_identifiers_are_quoted_and_reparse():
    found = candidates('SELECT "Mixed Case" FROM "Sales Data"."Order Items" WHERE "we""ird" = $1', SCHEMA)
    candidate = found.candidates[0]
    name = unique_name(candidate, set())
    draft = index_draft(candidate, name, "because")
    assert draft.up == ('CREATE INDEX CONCURRENTLY "Order Items_we""ird_idx" ON "Sales Data"."Order Items" '
                        '("we""ird");')
    covering = found.candidates[1].create_sql()
    assert covering.endswith('("we""ird") INCLUDE ("Mixed Case")')
    assert draft.down == 'DROP INDEX CONCURRENTLY IF EXISTS "Sales Data"."Order Items_we""ird_idx";'


def test_names_fit_63_bytes_and_are_unique():
    keys = tuple(KeyPart(f"a_rather_long_column_name_{n}") for n in range(5))
    candidate = Candidate("app", "a_table_with_a_long_name", keys)
    first, second = unique_name(candidate, taken := set()), unique_name(candidate, taken)
    assert len(first.encode()) <= 63 and len(second.encode()) <= 63
    assert first != second and second.endswith("_idx1")


def test_trigram_draft_creates_the_extension_when_missing():
    candidate = Candidate("app", "orders", (KeyPart("name", opclass="gin_trgm_ops"),), method="gin",
                          extension="pg_trgm")
    draft = index_draft(candidate, "orders_name_trgm_idx", "why", extension_installed=False)
    assert draft.up.splitlines() == [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
        "CREATE INDEX CONCURRENTLY orders_name_trgm_idx ON app.orders USING gin (name gin_trgm_ops);"]
    assert any("pg_trgm" in note for note in draft.notes)


# --- workload files and hints -----------------------------------------------------------------------------

def test_workload_file_is_split_by_the_parser_with_labels_and_calls():
    text = """-- header of the file

-- Orders page
-- calls: 1,200
SELECT * FROM app.orders WHERE note = 'a;b' ORDER BY created_at; -- trailing
/* rare status */ SELECT 1 FROM app.orders WHERE status = 'pending';
CREATE TABLE ignored (a int);
UPDATE app.orders SET total = 0 WHERE id = $1;
"""
    queries = queries_from_sql(text, source="w.sql")
    assert [(q.label, q.calls) for q in queries] == [
        ("Orders page", 1200.0), ("rare status", 1.0), ("w.sql:8", 1.0)]
    assert queries[0].sql == "SELECT * FROM app.orders WHERE note = 'a;b' ORDER BY created_at"


@pytest.mark.parametrize("sql, phrase", [
    ("SELECT id FROM app.orders WHERE created_at::date = '2024-01-01'", "casting created_at"),
    ("SELECT id FROM app.orders WHERE status = 'x' OR email = 'y'", "OR across columns"),
    ("SELECT id FROM app.orders WHERE id NOT IN (SELECT order_id FROM app.items)", "NOT EXISTS"),
    ("SELECT id FROM app.orders ORDER BY id LIMIT 20 OFFSET 5000", "paginate by key"),
])
def test_rewrite_hints(sql, phrase):
    assert any(phrase in hint for hint in rewrite_hints(sql))


# --- the greedy choice, on a made-up what-if matrix -------------------------------------------------------------

def plan(cost):
    return Plan(PlanNode(0, "Seq Scan", total_cost=cost))


def matrix(costs, sizes, base=1000.0, weights=None):
    """An Evaluation: one query per row of ``costs`` ({candidate name: cost}), candidates by name."""
    made = {name: Candidate("app", "orders", (KeyPart(name),)) for name in sizes}
    queries = [Query(f"SELECT {n}", calls=(weights or {}).get(n, 1.0)) for n in range(len(costs))]
    shape = analyse("SELECT * FROM app.orders", SCHEMA)
    evaluation = Evaluation(queries, [shape] * len(costs), [plan(base)] * len(costs),
                            candidates=list(made.values()))
    from workbench.indexes.whatif import Hypothetical

    evaluation.made = {c: Hypothetical(c, name, sizes[name], "hypopg") for name, c in made.items()}
    for number, row in enumerate(costs):
        for name, cost in row.items():
            evaluation.costs[(number, made[name])] = cost
            evaluation.used[(number, made[name])] = cost < base
    return evaluation, made


def test_choose_prefers_benefit_per_byte_and_prunes_what_others_cover():
    evaluation, made = matrix([{"small": 100.0, "big": 90.0}, {"big": 50.0}], {"small": 10, "big": 1000})
    selection = choose(evaluation)
    assert selection.chosen == [made["big"]]  # small came first, per byte; big covers its query better


def test_choose_leaves_out_marginal_and_respects_limits():
    evaluation, made = matrix([{"a": 100.0, "b": 95.0}, {"c": 990.0}], {"a": 10, "b": 5, "c": 5})
    selection = choose(evaluation)
    assert made["c"] not in selection.chosen  # 1 % better: below min_improvement
    assert len(selection.chosen) == 1
    evaluation, made = matrix([{"a": 100.0}, {"b": 100.0}], {"a": 10, "b": 10})
    assert len(choose(evaluation, Limits(max_indexes=1)).chosen) == 1
    assert len(choose(evaluation, Limits(budget_bytes=15)).chosen) == 1


def test_choose_again_without_excluded_candidates_or_settled_queries():
    """What the measured confirmation does when an index leaves: the next best takes its place,
    and queries already too fast to gain count for nothing."""
    evaluation, made = matrix([{"best": 100.0, "second": 200.0}, {"fast": 100.0}],
                              {"best": 10, "second": 10, "fast": 10})
    assert set(choose(evaluation).chosen) == {made["best"], made["fast"]}
    again = choose(evaluation, exclude={made["best"]}, settled={1})
    assert again.chosen == [made["second"]]


@pytest.mark.parametrize("kind", ["std", "notebook"])
def test_progress_total_grows_with_the_work_announced(kind):
    import importlib

    from workbench.indexes.progress import Progress

    tqdm = importlib.import_module(f"tqdm.{kind}").tqdm
    with tqdm(total=0, disable=False, leave=False, file=io.StringIO()) as bar:
        progress = Progress(bar)
        progress.expect(2)
        for _ in range(3):  # one more step than announced
            progress("step")
        assert (bar.n, bar.total) == (3, 3)
        if kind == "notebook":
            bar.refresh()  # updates are throttled; the widget shows the latest on refresh
            assert (bar.container.children[1].max, bar.container.children[1].value) == (3, 3)


# --- a storage budget ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [("160MB", 160 * 1024 ** 2), ("1.5 GB", 3 * 1024 ** 3 // 2),
                                            ("512kB", 512 * 1024), ("2048", 2048), (4096, 4096)])
def test_sizes_are_read_as_people_write_them(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["lots", "12 parsecs", "-5MB", ""])
def test_a_size_that_is_not_one_is_a_clear_error(text):
    with pytest.raises(WorkbenchError, match="not a size"):
        parse_size(text)


def test_within_a_budget_the_exact_search_beats_greedy_by_benefit_per_byte():
    """A knapsack greedy gets wrong: `a` has the best ratio (20 per byte) and takes 60 of the
    100 bytes, after which neither `b` nor `c` (18 per byte) fits; together they remove
    more of the workload's cost than `a` does."""
    evaluation, made = matrix([{"a": 400.0}, {"a": 400.0}, {"b": 100.0}, {"c": 100.0}],
                              {"a": 60, "b": 50, "c": 50})
    weight = weights(evaluation)
    greedy_only = greedy(evaluation, list(made.values()), weight, Limits(budget_bytes=100), 0.0,
                         Selection(), per_byte=True)
    assert greedy_only == [made["a"]]
    selection = choose(evaluation, Limits(budget_bytes=100))
    assert set(selection.chosen) == {made["b"], made["c"]} and selection.search == "exact"
    assert set_gain(evaluation, selection.chosen, weight) > set_gain(evaluation, greedy_only, weight)
    assert "a better set fits the size budget" in selection.left_out[made["a"]]


def test_without_a_budget_or_when_greedy_is_best_the_greedy_set_stays():
    evaluation, made = matrix([{"a": 400.0}, {"a": 400.0}, {"b": 100.0}, {"c": 100.0}],
                              {"a": 60, "b": 50, "c": 50})
    assert choose(evaluation).search == "greedy" and len(choose(evaluation).chosen) == 3
    evaluation, made = matrix([{"a": 100.0}, {"b": 100.0}], {"a": 10, "b": 10})
    selection = choose(evaluation, Limits(budget_bytes=15))
    assert selection.search == "greedy" and len(selection.chosen) == 1


def test_the_curve_keeps_the_frontier_within_a_screen():
    from workbench.indexes.curve import frontier, thinned

    points = [(size, 1.0 + size / 100, None) for size in range(101)] + [(50, 0.5, None), (200, 2.0, None)]
    assert [p[0] for p in frontier(points)][:3] == [0, 6, 12]  # over 5 % more speed-up per row
    rows = thinned(points, 10)
    assert len(rows) <= 10 and rows[0][0] == 0 and rows[-1][:2] == (100, 2.0)



def test_a_measured_curve_ranks_budgets_by_the_measured_speed_up(monkeypatch):
    """The estimates value a big index (serving a query sent once) above a small one (serving
    a query sent a hundred times); measured, the small one is what pays, and more storage
    must not show less speed-up."""
    from types import SimpleNamespace

    from workbench.indexes import curve

    def query(number, index, calls, before):
        return SimpleNamespace(number=number, label=f"query {number}", error=None, query=SimpleNamespace(calls=calls),
                               ms_before=before, ms_after=1.0, indexes=[index], cost_before=None, cost_after=None)

    big = SimpleNamespace(name="big", size_bytes=100)
    small = SimpleNamespace(name="small", size_bytes=1)
    advice = SimpleNamespace(recommended=[big, small], budget=SimpleNamespace(kept=0),
                             queries=[query(0, "small", 100, 50.0), query(1, "big", 1, 10.0)],
                             run=SimpleNamespace(evaluation=None))
    monkeypatch.setattr(curve, "weights", lambda evaluation: {})
    monkeypatch.setattr(curve, "estimated", lambda advice, chosen, weight: 1 + sum(
        {"big": 10, "small": 1}[r.name] for r in chosen))
    frame = curve.benefit_curve(advice)
    assert list(frame["indexes"]) == ["", "small", "big, small"]
    assert frame["measured_speedup"].is_monotonic_increasing and list(frame["est_speedup"]) == [1, 2, 12]

# --- Row Level Security policies, read from their USING expressions ----------------------------------------

def policy(using, name="p", command="SELECT", permissive=True, roles=("authenticated",)):
    from workbench.catalog import Policy

    return Policy("app", "orders", name, command, permissive, roles, using)


def with_policies(*policies):
    from dataclasses import replace

    return replace(ORDERS, columns=ORDERS.columns + (Column("user_id", "uuid"),), policies=policies,
                   rls_enabled=True)


@pytest.mark.parametrize("using, expected", [
    ("(user_id = auth.uid())", [("user_id", "eq")]),
    ("(org_id IN ( SELECT members.org_id FROM app.members WHERE (members.user_id = auth.uid())))",
     [("org_id", "eq")]),
    ("(org_id = ANY (ARRAY( SELECT app.user_orgs() AS user_orgs)))", [("org_id", "eq")]),
    ("((status = ANY (ARRAY['a'::text, 'b'::text])) AND (user_id = ( SELECT auth.uid() AS uid)))",
     [("status", "in"), ("user_id", "eq")]),
    ("app.is_member(org_id)", []),
    ("(org_id = customer_id)", []),
])
def test_policy_conditions(using, expected):
    from workbench.indexes.policies import conditions_of

    table = with_policies(policy(using))
    found = conditions_of(table.policies[0], table, ("org_id", "user_id"))
    assert [(c.key.column, c.op) for c in found] == expected and not any(c.constant for c in found)


def test_only_policies_that_surely_filter_count():
    from workbench.indexes.policies import filtering

    owner, member = policy("(user_id = auth.uid())", "owner"), policy("(org_id = 1)", "member")
    strict = policy("(deleted_at IS NULL)", "live", permissive=False)
    other = policy("(user_id = auth.uid())", "anon_only", roles=("anon",))
    writes = policy("(user_id = auth.uid())", "edit", command="UPDATE")
    assert filtering(with_policies(owner, other, writes), "authenticated") == [owner]
    assert filtering(with_policies(owner, member, strict), "authenticated") == [strict]
    assert filtering(with_policies(owner, writes), "authenticated", "update") == [writes]


def test_policy_query_conditions_lead_the_candidates():
    from workbench.indexes.candidates import Options, generate
    from workbench.indexes.policies import add_policy_conditions

    schema = Schema("test", "18.0", 180000, Objects(tables=(with_policies(policy("(user_id = auth.uid())")),)))
    shape = analyse("SELECT id, total FROM app.orders WHERE status = $1", schema)
    add_policy_conditions(shape, schema, "authenticated", ("org_id", "user_id"))
    found = generate(shape, schema, None, Options(tenant_columns=("org_id", "user_id"))).candidates
    assert found[0].create_sql() == "CREATE INDEX ON app.orders (user_id, status)"


@pytest.mark.parametrize("using, calls, sub_select", [
    ("(user_id = auth.uid())", ["auth.uid()"], False),
    ("(user_id = ( SELECT auth.uid() AS uid))", [], False),
    ("(org_id IN ( SELECT m.org_id FROM app.members m WHERE (m.user_id = auth.uid())))", [], True),
    ("((auth.jwt() ->> 'org'::text) = (org_id)::text)", ["auth.jwt()"], False),
])
def test_what_in_a_policy_costs_per_row(using, calls, sub_select):
    from workbench.indexes.policy_cost import policy_shape

    shape = policy_shape(policy(using))
    assert (shape.calls, shape.sub_select) == (calls, sub_select)
