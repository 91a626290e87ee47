"""The harder query shapes, read without a server: OR groups, keyset row comparisons, GROUP BY
keys, join keys with their range or order, stand-ins, merging narrow picks, and write costs."""
import pytest

from workbench.catalog import Column, Index, Objects, Schema, Table
from workbench.indexes import analyse, candidates
from workbench.indexes.choose import Limits, Selection, weights
from workbench.indexes.evaluate import Evaluation
from workbench.indexes.existing import indexed_columns
from workbench.indexes.merge import merge
from workbench.indexes.model import Candidate, KeyPart
from workbench.indexes.sources import Query
from workbench.indexes.whatif import Hypothetical
from workbench.indexes.writes import ENTRY_COST, Write, entries, write_costs
from workbench.plans import Plan, PlanNode


def table(name, columns, indexes=()):
    made = tuple(Index("app", name, index_name, "btree", (), definition) for index_name, definition in indexes)
    return Table("app", name, "table", "owner", columns=tuple(Column(c, "text") for c in columns), indexes=made)


TICKETS = table("tickets", ["id", "org_id", "assignee_id", "requester_id", "status", "created_at", "amount",
                            "deleted_at", "title"],
                [("tickets_pkey", "CREATE UNIQUE INDEX tickets_pkey ON app.tickets USING btree (id)")])
TAGS = table("ticket_tags", ["ticket_id", "tag_id"],
             [("ticket_tags_pkey", "CREATE UNIQUE INDEX ticket_tags_pkey ON app.ticket_tags USING btree "
                                   "(ticket_id, tag_id)")])
NOTES = table("notes", ["id", "ticket_id", "body", "created_at"],
              [("notes_pkey", "CREATE UNIQUE INDEX notes_pkey ON app.notes USING btree (id)")])
SCHEMA = Schema("test", "18.0", 180000, Objects(tables=(TICKETS, TAGS, NOTES)))


def made(sql):
    return [c.create_sql() for c in candidates(sql, SCHEMA).candidates]


# --- reading -------------------------------------------------------------------------------------------

def test_an_or_across_columns_is_a_group_of_arms():
    access = analyse("SELECT id FROM app.tickets WHERE org_id = 3 AND (assignee_id = 5 OR requester_id = 5)",
                     SCHEMA).accesses[0]
    assert [c.sql for c in access.conditions] == ["org_id = 3"]
    assert [[c.sql for c in arm] for group in access.any_of for arm in group] == [
        ["assignee_id = 5"], ["requester_id = 5"]]


def test_an_or_across_tables_or_with_an_unreadable_arm_is_no_group():
    across = analyse("SELECT t.id FROM app.tickets t JOIN app.notes n ON n.ticket_id = t.id "
                     "WHERE t.assignee_id = 5 OR n.body = 'x'", SCHEMA)
    assert all(not a.any_of and not a.conditions for a in across.accesses)
    unreadable = analyse("SELECT id FROM app.tickets WHERE assignee_id = 5 OR random() > 0.5", SCHEMA)
    assert not unreadable.accesses[0].any_of and not unreadable.accesses[0].conditions


def test_an_or_on_one_column_stays_an_in_list():
    access = analyse("SELECT id FROM app.tickets WHERE status = 'a' OR status = 'b'", SCHEMA).accesses[0]
    assert [c.op for c in access.conditions] == ["in"] and not access.any_of


def test_a_keyset_row_comparison_is_a_range_on_its_first_key():
    access = analyse("SELECT id FROM app.tickets WHERE org_id = $1 AND (created_at, id) < ($2, $3) "
                     "ORDER BY created_at DESC, id DESC LIMIT 50", SCHEMA).accesses[0]
    ranges = [c for c in access.conditions if c.op == "range"]
    assert [(c.key.sql, c.params) for c in ranges] == [("created_at", (2, 3))]
    flipped = analyse("SELECT id FROM app.tickets WHERE ($1, $2) > (created_at, id)", SCHEMA).accesses[0]
    assert [c.sql for c in flipped.conditions] == ["(created_at, id) < ($1, $2)"]


def test_group_by_keys_of_one_table():
    access = analyse("SELECT status, count(*), sum(amount) FROM app.tickets WHERE org_id = 3 GROUP BY 1",
                     SCHEMA).accesses[0]
    assert [k.sql for k in access.group] == ["status"]


# --- candidates -------------------------------------------------------------------------------------

def test_or_group_has_one_index_per_arm_led_by_the_tenant():
    generated = candidates("SELECT id FROM app.tickets WHERE org_id = 3 AND (assignee_id = 5 OR requester_id = 5)",
                           SCHEMA)
    assert [[c.create_sql() for c in group] for group in generated.groups] == [
        ["CREATE INDEX ON app.tickets (org_id, assignee_id)", "CREATE INDEX ON app.tickets (org_id, requester_id)"],
        ["CREATE INDEX ON app.tickets (assignee_id)", "CREATE INDEX ON app.tickets (requester_id)"]]
    assert all(member in generated.candidates for group in generated.groups for member in group)


def test_an_arm_on_a_mostly_null_column_is_a_partial_index():
    from workbench.indexes.stats import ColumnStats

    stats = {("app", "tickets", "requester_id"): ColumnStats(-0.01, 8, 0.9, 100000.0)}
    generated = candidates("SELECT id FROM app.tickets WHERE assignee_id = 5 OR requester_id = 5", SCHEMA,
                           stats=stats)
    assert [[c.create_sql() for c in group] for group in generated.groups] == [[
        "CREATE INDEX ON app.tickets (assignee_id)",
        "CREATE INDEX ON app.tickets (requester_id) WHERE requester_id IS NOT NULL"]]


def test_keyset_candidate_follows_the_order():
    assert "CREATE INDEX ON app.tickets (org_id, created_at, id)" in made(
        "SELECT id, title FROM app.tickets WHERE org_id = $1 AND (created_at, id) < ($2, $3) "
        "ORDER BY created_at DESC, id DESC LIMIT 50")


def test_report_candidate_groups_and_covers():
    found = made("SELECT status, count(*), sum(amount) FROM app.tickets WHERE org_id = 3 GROUP BY status")
    assert "CREATE INDEX ON app.tickets (org_id, status) INCLUDE (amount)" in found


def test_join_key_with_the_order_for_lateral_and_with_the_range_for_children():
    lateral = made("SELECT t.id, n.id FROM app.tickets t CROSS JOIN LATERAL (SELECT id FROM app.notes "
                   "WHERE ticket_id = t.id ORDER BY created_at DESC LIMIT 3) n WHERE t.org_id = 3")
    assert "CREATE INDEX ON app.notes (ticket_id, created_at)" in lateral
    children = made("SELECT n.id FROM app.notes n JOIN app.tickets t ON t.id = n.ticket_id "
                    "WHERE t.org_id = 3 AND n.created_at >= $1")
    assert "CREATE INDEX ON app.notes (ticket_id, created_at)" in children


def test_reverse_side_of_a_link_table():
    assert "CREATE INDEX ON app.ticket_tags (tag_id)" in made(
        "SELECT t.id FROM app.ticket_tags tt JOIN app.tickets t ON t.id = tt.ticket_id WHERE tt.tag_id = 42")


# --- choosing ------------------------------------------------------------------------------------------

def key(*names):
    return tuple(KeyPart(n, columns=(n,)) for n in names)


def plan(cost, rows=1.0, node="Seq Scan"):
    return Plan(PlanNode(0, node, total_cost=cost, plan_rows=rows))


def evaluation_of(sqls, costs, sizes, used=None):
    shapes = [analyse(sql, SCHEMA) for sql in sqls]
    found = Evaluation([Query(sql) for sql in sqls], shapes, [plan(1000.0) for _ in sqls])
    found.candidates = list(sizes)
    for candidate, size in sizes.items():
        found.made[candidate] = Hypothetical(candidate, None, size, "real")
    for (number, candidate), cost in costs.items():
        found.costs[(number, candidate)] = cost
        found.used[(number, candidate)] = True
    return found


def test_stands_in_for_needs_the_same_keys_first_and_predicate():
    short = Candidate("app", "tickets", key("org_id", "created_at"))
    longer = Candidate("app", "tickets", key("org_id", "created_at", "id"), include=("title",))
    partial = Candidate("app", "tickets", key("org_id", "created_at", "id"), predicate="deleted_at IS NULL")
    assert longer.stands_in_for(short) and not short.stands_in_for(longer)
    assert not partial.stands_in_for(short)


TRIAGE = Candidate("app", "tickets", key("assignee_id"), predicate="status = 'triage'")
LIVE = Candidate("app", "tickets", key("assignee_id"), predicate="deleted_at IS NULL")
PLAIN = Candidate("app", "tickets", key("assignee_id"))


def merged(triage_cost, live_cost, plain_costs, selection=None):
    """merge() of the chosen (assignee_id) WHERE status = 'triage' and (assignee_id) WHERE
    deleted_at IS NULL, with the plain (assignee_id) in the pool; each query costs 1000 without."""
    sqls = ["SELECT id FROM app.tickets WHERE assignee_id = 1 AND status = 'triage'",
            "SELECT id FROM app.tickets WHERE assignee_id = 1 AND deleted_at IS NULL"]
    costs = {(0, TRIAGE): triage_cost, (1, LIVE): live_cost, (0, PLAIN): plain_costs[0], (1, PLAIN): plain_costs[1]}
    evaluation = evaluation_of(sqls, costs, {TRIAGE: 1000, LIVE: 9000, PLAIN: 9500})
    return merge(evaluation, [TRIAGE, LIVE], [TRIAGE, LIVE, PLAIN], weights(evaluation), selection or Selection())


def test_narrow_picks_merge_into_one_index_that_serves_them_as_well():
    selection = Selection()
    assert merged(5.0, 8.0, (5.5, 8.5), selection) == [PLAIN]
    assert selection.left_out[TRIAGE].startswith("merged into app.tickets (assignee_id)")


def test_no_merge_when_a_query_would_lose_more_than_the_tolerance():
    assert merged(5.0, 8.0, (80.0, 8.0)) == [TRIAGE, LIVE]


def test_no_merge_when_an_already_fast_query_would_become_many_times_slower():
    """Within 2% of the cost without indexes, but from 5 to 18: a directory read in index order
    turned into a sort of the tenant's rows."""
    assert merged(5.0, 500.0, (18.0, 500.0)) == [TRIAGE, LIVE]


# --- writes --------------------------------------------------------------------------------------------

def test_indexed_columns_of_an_existing_index():
    assert indexed_columns("CREATE INDEX i ON app.t USING btree (lower(email), org_id) INCLUDE (name) "
                           "WHERE (deleted_at IS NULL)") == {"email", "org_id", "name", "deleted_at"}


def test_entries_per_written_row():
    status = Candidate("app", "tickets", key("status"))
    other = Candidate("app", "tickets", key("org_id"))
    update = Write(0, ("app", "tickets"), "update", frozenset({"status"}), 10.0)
    assert entries(update, status, SCHEMA) == 2.0  # the new index, and the primary key: no longer HOT
    assert entries(update, other, SCHEMA) == 0.0  # a HOT update writes no index entry
    assert entries(Write(0, ("app", "tickets"), "insert", frozenset(), 1.0), other, SCHEMA) == 1.0


def test_a_frequent_update_outweighs_a_rare_read():
    status = Candidate("app", "tickets", key("status"))
    sqls = ["SELECT id FROM app.tickets WHERE status = 'failed'",
            "UPDATE app.tickets SET status = 'running' WHERE id = 7"]
    evaluation = evaluation_of(sqls, {(0, status): 10.0}, {status: 1000})
    evaluation.baseline[1] = Plan(PlanNode(0, "ModifyTable", total_cost=8.0, children=(
        PlanNode(1, "Index Scan", total_cost=8.0, plan_rows=1.0),)))
    evaluation.queries[1] = Query(sqls[1], calls=5000)
    costs = write_costs(evaluation, weights(evaluation), SCHEMA)
    assert costs[status] == 5000 * 1.0 * 2.0 * ENTRY_COST
    evaluation.write_cost = costs
    from workbench.indexes.choose import choose

    selection = choose(evaluation, Limits())
    assert selection.chosen == []
    assert selection.left_out[status].startswith("the workload's writes would pay more for it")


def test_a_workload_with_non_ascii_text_is_split_by_characters():
    from workbench.indexes import queries_from_sql

    found = queries_from_sql("-- Müller's tickets\n-- calls: 10\nSELECT id FROM t WHERE name = 'Jürgen Müller';\n"
                             "-- Straße\nSELECT 2 FROM t;\n")
    assert [(q.label, q.sql, q.calls) for q in found] == [
        ("Müller's tickets", "SELECT id FROM t WHERE name = 'Jürgen Müller'", 10.0),
        ("Straße", "SELECT 2 FROM t", 1.0)]


# --- a write made slower by the indexes it now maintains ---------------------------------------------

def write_case(calls_read, calls_write):
    from workbench.indexes.choose import Selection
    from workbench.indexes.confirm import Confirmation, write_culprit
    from workbench.indexes.measure import Comparison, Run
    from workbench.indexes.samples import Sample

    status = Candidate("app", "tickets", key("status"))
    sqls = ["SELECT id FROM app.tickets WHERE status = 'failed'",
            "UPDATE app.tickets SET status = 'done' WHERE created_at < '2024-01-01'"]
    evaluation = evaluation_of(sqls, {}, {status: 1000})
    evaluation.queries = [Query(sqls[0], calls=calls_read), Query(sqls[1], calls=calls_write)]
    read_plan = Plan(PlanNode(0, "Index Scan", index="wb_1", relation="tickets", schema="app"))
    write_plan = Plan(PlanNode(0, "ModifyTable", relation="tickets", schema="app",
                               children=(PlanNode(1, "Seq Scan", relation="tickets", schema="app"),)))
    read = Comparison(0, Sample("as written", sqls[0]), Run(None, 30.0, None), Run(None, 0.1, read_plan))
    write = Comparison(1, Sample("as written", sqls[1]), Run(None, 100.0, write_plan), Run(None, 300.0, write_plan))
    result = Confirmation([status], Selection([status]), names={"wb_1": status}, comparisons=[read, write])
    return write_culprit(evaluation, result, write, {status: 1.0}), result, status


def test_a_rare_slower_write_is_the_price_of_reads_that_gain_more():
    found, result, _ = write_case(calls_read=100, calls_write=1)
    assert found is None
    assert result.write_notes[1].startswith("100.00 ms -> 300.00 ms: the price of writing the new indexes of tickets")


def test_a_frequent_slower_write_takes_the_index_out():
    found, result, status = write_case(calls_read=1, calls_write=100)
    assert found is status and not result.write_notes


# --- what generalizes beyond the queries seen -------------------------------------------------------------

def test_a_range_on_a_mostly_null_column_gets_a_partial_index_of_the_rows_with_a_value():
    from workbench.indexes.stats import ColumnStats

    purge = "DELETE FROM app.tickets WHERE deleted_at < '2024-01-01'"
    sparse = {("app", "tickets", "deleted_at"): ColumnStats(-0.01, 8, 0.95, 100000.0)}
    assert "CREATE INDEX ON app.tickets (deleted_at) WHERE deleted_at IS NOT NULL" in \
        [c.create_sql() for c in candidates(purge, SCHEMA, stats=sparse).candidates]
    dense = {("app", "tickets", "deleted_at"): ColumnStats(-0.01, 8, 0.1, 100000.0)}
    assert not any(c.predicate for c in candidates(purge, SCHEMA, stats=dense).candidates)


def linked_schema(note_indexes=()):
    """SCHEMA with notes.ticket_id a foreign key to tickets, and ``note_indexes`` on notes."""
    from dataclasses import replace

    from workbench.catalog.model import ForeignKey

    fk = ForeignKey("app", "notes", "notes_ticket_id_fkey", "foreign key", ("ticket_id",),
                    ref_schema="app", ref_table="tickets", ref_columns=("id",))
    notes = replace(NOTES, constraints=(fk,), indexes=NOTES.indexes + tuple(note_indexes))
    return Schema("test", "18.0", 180000, Objects(tables=(TICKETS, TAGS, notes)))


def test_a_join_through_a_foreign_key_becomes_a_path_of_the_workload():
    from workbench.indexes.navigation import NAVIGATION_SHARE, navigation_paths

    schema = linked_schema()
    sqls = ["SELECT t.id FROM app.tickets t WHERE t.org_id = 3 AND EXISTS "
            "(SELECT 1 FROM app.notes n WHERE n.ticket_id = t.id AND n.body = 'x')",
            "SELECT n.id FROM app.notes n JOIN app.tickets t ON t.id = n.ticket_id WHERE t.status = 'open'",
            "SELECT id FROM app.notes WHERE body = 'x'"]
    queries = [Query(sql, calls=calls) for sql, calls in zip(sqls, (100, 300, 5000))]
    (path, shape, walkers), = navigation_paths(queries, [analyse(sql, schema) for sql in sqls], schema)
    assert path.sql == "SELECT 1 FROM app.notes WHERE ticket_id = $1" and walkers == {0, 1}
    assert path.calls == pytest.approx(NAVIGATION_SHARE * 400)
    assert "notes_ticket_id_fkey" in path.label and "queries 1, 2" in path.label
    assert shape.accesses[0].conditions[0].sql == "ticket_id = $1"


def test_a_path_an_index_already_leads_with_or_a_join_on_no_foreign_key_is_no_path():
    from workbench.indexes.navigation import navigation_paths

    indexed = linked_schema([Index("app", "notes", "notes_ticket_idx", "btree", ("ticket_id", "created_at"),
                                   "CREATE INDEX notes_ticket_idx ON app.notes USING btree (ticket_id, created_at)")])
    walk = "SELECT n.id FROM app.notes n JOIN app.tickets t ON t.id = n.ticket_id WHERE t.status = 'open'"
    assert navigation_paths([Query(walk)], [analyse(walk, indexed)], indexed) == []
    no_key = "SELECT t.id FROM app.ticket_tags tt JOIN app.tickets t ON t.id = tt.tag_id WHERE t.org_id = 3"
    assert navigation_paths([Query(no_key)], [analyse(no_key, SCHEMA)], SCHEMA) == []


def test_a_rare_statement_weighs_at_least_a_share_of_the_average_one():
    from workbench.indexes.choose import RARE_SHARE

    sqls = ["SELECT id FROM app.tickets WHERE status = 'failed'", "DELETE FROM app.tickets WHERE deleted_at < now()"]
    evaluation = evaluation_of(sqls, {}, {})
    evaluation.queries[0] = Query(sqls[0], calls=10000)
    found = weights(evaluation)
    assert found[0] == 10000 * 1000.0
    assert found[1] == pytest.approx(RARE_SHARE * (10000 * 1000.0 + 1000.0) / 2)


def test_a_partial_index_costs_writes_only_for_the_rows_it_holds():
    rare = Candidate("app", "tickets", key("created_at"), predicate="status = 'failed'", predicate_columns=("status",))
    insert = Write(0, ("app", "tickets"), "insert", frozenset(), 1.0)
    assert entries(insert, rare, SCHEMA, share=0.02) == 0.02
    update = Write(0, ("app", "tickets"), "update", frozenset({"status"}), 1.0)
    assert entries(update, rare, SCHEMA, share=0.02) == 1.02  # not HOT: the primary key's entry too


def test_an_update_loses_hot_once_and_then_writes_every_new_index():
    from workbench.indexes.writes import Charge, Upkeep

    update = Write(0, ("app", "tickets"), "update", frozenset({"status"}), 1.0)
    upkeep = Upkeep((Charge(update, 10.0, 1, True),), {})
    status = Candidate("app", "tickets", key("status"))
    status_date = Candidate("app", "tickets", key("status", "created_at"))
    tenant = Candidate("app", "tickets", key("org_id"))
    assert upkeep.cost([tenant]) == 0.0  # still HOT
    assert upkeep.cost([status]) == 10.0 * 2  # its entry, and the primary key's
    assert upkeep.cost([status, status_date]) == 10.0 * 3  # not 4: HOT is lost once
    assert upkeep.cost([status, tenant]) == 10.0 * 3  # no longer HOT, the tenant index is written too
    partial = Candidate("app", "tickets", key("created_at"), predicate="org_id = 3", predicate_columns=("org_id",))
    assert Upkeep((Charge(update, 10.0, 1, True),), {partial: 0.25}).cost([status, partial]) == 10.0 * 2.25


def test_the_upkeep_of_a_cheap_frequent_write_is_paid_by_its_calls_not_the_rare_floor():
    sqls = ["SELECT id FROM app.tickets WHERE status = 'failed'", "UPDATE app.tickets SET status = 'x' WHERE id = 7"]
    evaluation = evaluation_of(sqls, {}, {})
    evaluation.baseline[1] = Plan(PlanNode(0, "ModifyTable", total_cost=8.0, children=(
        PlanNode(1, "Index Scan", total_cost=8.0, plan_rows=1.0),)))
    evaluation.queries[0] = Query(sqls[0], calls=1000)
    evaluation.queries[1] = Query(sqls[1], calls=100)
    assert weights(evaluation)[1] > 100 * 8.0  # as a read it counts at least a share of the average
    assert weights(evaluation, least_share=0.0)[1] == 100 * 8.0
    status = Candidate("app", "tickets", key("status"))
    evaluation.candidates = [status]
    assert write_costs(evaluation, weights(evaluation, least_share=0.0), SCHEMA)[status] == 100 * 2.0 * ENTRY_COST


def with_files(optional=False):
    """linked_schema() with app.files, whose ticket_id references tickets too (NOT NULL unless
    ``optional``)."""
    from dataclasses import replace

    from workbench.catalog.model import ForeignKey

    files_fk = ForeignKey("app", "files", "files_ticket_id_fkey", "foreign key", ("ticket_id",),
                          ref_schema="app", ref_table="tickets", ref_columns=("id",))
    files = replace(table("files", ["id", "ticket_id", "name"]), constraints=(files_fk,))
    files = replace(files, columns=tuple(replace(c, nullable=optional or c.name != "ticket_id") for c in files.columns))
    return Schema("test", "18.0", 180000, Objects(tables=(*linked_schema().objects.tables, files)))


def test_a_walked_parent_brings_its_other_children_in_at_a_smaller_share():
    from workbench.indexes.navigation import NAVIGATION_SHARE, SIBLING_SHARE, navigation_paths

    schema = with_files()
    walk = "SELECT n.id FROM app.notes n JOIN app.tickets t ON t.id = n.ticket_id WHERE t.status = 'open'"
    paths = {path.sql: (path, walkers)
             for path, _, walkers in navigation_paths([Query(walk, calls=300)], [analyse(walk, schema)], schema)}
    walked, _ = paths["SELECT 1 FROM app.notes WHERE ticket_id = $1"]
    sibling, walkers = paths["SELECT 1 FROM app.files WHERE ticket_id = $1"]
    assert walked.calls == pytest.approx(300 * NAVIGATION_SHARE) and sibling.calls == pytest.approx(300 * SIBLING_SHARE)
    assert walkers == {0} and "files_ticket_id_fkey), beside the rows query 1 walks to from tickets" in sibling.label
    tenant_paths = navigation_paths([Query(walk, calls=300)], [analyse(walk, schema)], schema, ("ticket_id",))
    assert [path.sql for path, _, _ in tenant_paths] == ["SELECT 1 FROM app.notes WHERE ticket_id = $1"]
    optional = with_files(optional=True)  # a nullable key is an optional reference, not a child
    assert [path.sql for path, _, _ in navigation_paths([Query(walk)], [analyse(walk, optional)], optional)] == [
        "SELECT 1 FROM app.notes WHERE ticket_id = $1"]


# --- wider keys, timed against the narrow ones chosen ----------------------------------------------------

NARROW = Candidate("app", "tickets", key("assignee_id"))
WIDE = Candidate("app", "tickets", key("assignee_id", "created_at"))
OTHER = Candidate("app", "tickets", key("assignee_id", "status"), predicate="deleted_at IS NULL")
TOP_N = "SELECT id FROM app.tickets WHERE assignee_id = 5 ORDER BY created_at DESC LIMIT 5"


def index_plan(name, ms=None):
    from workbench.indexes.measure import Run

    return Run(None, ms, Plan(PlanNode(0, "Index Scan", index=name, relation="tickets", schema="app")))


def challenged(after_ms=3.0, limits=None, tenant_ms=None):
    """challenges() of a set whose (assignee_id) serves a top-N query in ``after_ms`` (and its
    largest tenant in ``tenant_ms``)."""
    from workbench.indexes.picks import challenges
    from workbench.indexes.confirm import Confirmation
    from workbench.indexes.measure import Comparison, Run
    from workbench.indexes.samples import Sample

    evaluation = evaluation_of([TOP_N], {(0, NARROW): 50.0, (0, WIDE): 30.0, (0, OTHER): 20.0},
                               {NARROW: 1000, WIDE: 3000, OTHER: 500})
    cases = [Comparison(0, Sample("as written", TOP_N), Run(None, 30.0, None), index_plan("wb_1", after_ms))]
    if tenant_ms is not None:
        cases.append(Comparison(0, Sample("largest tenant", TOP_N), Run(None, 30.0, None), index_plan("wb_1", tenant_ms)))
    result = Confirmation([NARROW], Selection([NARROW], {NARROW: 5.0}), names={"wb_1": NARROW}, comparisons=cases,
                          sizes={NARROW: 1000})
    return challenges(evaluation, result, limits or Limits()), result


def test_a_chosen_index_is_challenged_by_the_candidate_that_extends_it():
    from workbench.indexes.picks import WIDER, Challenge

    found, _ = challenged()
    assert found == [Challenge(WIDER, 0, NARROW, WIDE)]  # not OTHER: another predicate, though cheaper
    assert challenged(after_ms=0.5)[0] == []  # too fast to gain min_saved_ms
    assert challenged(after_ms=0.5, tenant_ms=2.8)[0] == found  # but its largest tenant is not
    assert challenged(limits=Limits(budget_bytes=2500))[0] == []  # the wider index does not fit


def test_a_challenger_holds_every_column_of_the_index_it_extends():
    from workbench.indexes.picks import extends

    covering = Candidate("app", "tickets", key("assignee_id"), include=("title",))
    assert not extends(WIDE, covering)  # it would lose the index-only scan
    assert extends(Candidate("app", "tickets", key("assignee_id", "title")), covering)
    assert not extends(NARROW, NARROW)


def test_a_wider_challenger_wins_when_the_query_uses_it_and_is_much_faster():
    from workbench.indexes.challenge import promote, wins
    from workbench.indexes.picks import WIDER, Challenge
    from workbench.indexes.measure import Comparison, Run
    from workbench.indexes.samples import Sample

    pick = Challenge(WIDER, 0, NARROW, WIDE)
    first = Comparison(0, Sample("as written", TOP_N), Run(None, 30.0, None), index_plan("wb_1", 10.0))
    second = Comparison(0, Sample("largest tenant", TOP_N), Run(None, 30.0, None), index_plan("wb_1", 1.0))
    held = [index_plan("wb_1", 10.0), index_plan("wb_1", 1.0)]
    assert wins(pick, [first, second], held, [index_plan("wb_2", 0.5), index_plan("wb_2", 1.0)], {"wb_2"}, Limits())
    assert not wins(pick, [first], held, [index_plan("wb_1", 0.5)], {"wb_2"}, Limits())  # not used
    assert not wins(pick, [first], held, [index_plan("wb_2", 8.0)], {"wb_2"}, Limits())  # not 1.5 times faster
    assert not wins(pick, [first], [index_plan("wb_1", 1.2)], [index_plan("wb_2", 0.3)], {"wb_2"}, Limits())  # < 1 ms
    assert not wins(pick, [first, second], held, [index_plan("wb_2", 0.5), index_plan("wb_2", 4.0)], {"wb_2"}, Limits())
    big = Comparison(0, Sample("largest tenant", TOP_N), Run(None, 30.0, None), index_plan("wb_1", 2.8))
    assert wins(pick, [first, big], [index_plan("wb_1", 1.4), index_plan("wb_1", 2.8)],
                [index_plan("wb_2", 0.5), index_plan("wb_2", 0.2)], {"wb_2"}, Limits())  # the big tenant gains 2.6 ms
    (found,), result = challenged()
    promote(result, found, [first], held, [index_plan("wb_2", 0.5)])
    assert result.chosen == [WIDE] and result.selection.benefit[WIDE] == 5.0
    assert result.removed[NARROW].startswith(
        "replaced by app.tickets (assignee_id, created_at), which reads the query in the order it needs (query 1")


def test_a_covering_index_gives_way_to_its_twin_without_include_when_no_query_is_slower():
    from workbench.indexes.challenge import wins
    from workbench.indexes.picks import SMALLER, Challenge, shrinks
    from workbench.indexes.confirm import Confirmation
    from workbench.indexes.measure import Comparison, Run
    from workbench.indexes.samples import Sample

    covering = Candidate("app", "tickets", key("assignee_id", "created_at"), include=("title",))
    evaluation = evaluation_of([TOP_N], {}, {covering: 3 << 20, WIDE: 2 << 20, NARROW: 1 << 20})
    result = Confirmation([covering], Selection([covering]), sizes={covering: 3 << 20})
    assert shrinks(evaluation, result) == [Challenge(SMALLER, None, covering, WIDE)]
    report = Plan(PlanNode(0, "Index Only Scan", index="wb_1", relation="tickets", schema="app",
                           actual_rows=5000.0, loops=1))
    read_whole = Confirmation([covering], Selection([covering]), sizes={covering: 3 << 20}, names={"wb_1": covering},
                              comparisons=[Comparison(0, Sample("as written", TOP_N), Run(None, 9.0, None),
                                                      Run(None, 2.0, report))])
    # a report that reads 5,000 rows from the index alone is challenged too: the timing keeps its INCLUDE
    assert shrinks(evaluation, read_whole) == [Challenge(SMALLER, None, covering, WIDE)]
    result.sizes[covering] = 1000
    assert shrinks(evaluation, result) == []  # too small to matter
    pick = shrinks(evaluation, Confirmation([covering], Selection([covering]), sizes={covering: 3 << 20}))[0]
    case = Comparison(0, Sample("as written", TOP_N), Run(None, 30.0, None), index_plan("wb_1", 0.05))
    assert wins(pick, [case], [index_plan("wb_1", 0.05)], [index_plan("wb_2", 0.08)], {"wb_2"}, Limits())
    assert not wins(pick, [case], [index_plan("wb_1", 2.0)], [index_plan("wb_2", 5.0)], {"wb_2"}, Limits())
    assert not wins(pick, [case], [index_plan("wb_1", 0.4)], [index_plan("wb_2", 0.7)], {"wb_2"}, Limits())



def test_no_smaller_twin_is_tried_on_a_table_whose_visibility_map_is_mostly_unset():
    """Its index-only scans were timed visiting the table: the timings would be against INCLUDE."""
    from workbench.indexes.picks import SMALLER, Challenge, shrinks
    from workbench.indexes.confirm import Confirmation
    from workbench.indexes.visibility import Unvacuumed

    covering = Candidate("app", "tickets", key("assignee_id", "created_at"), include=("title",))
    evaluation = evaluation_of([TOP_N], {}, {covering: 3 << 20, WIDE: 2 << 20, NARROW: 1 << 20})
    result = Confirmation([covering], Selection([covering]), sizes={covering: 3 << 20})
    evaluation.unvacuumed = [Unvacuumed("app", "other", 5000, 0)]
    assert shrinks(evaluation, result) == [Challenge(SMALLER, None, covering, WIDE)]
    evaluation.unvacuumed = [Unvacuumed("app", "tickets", 5000, 100)]
    assert shrinks(evaluation, result) == []

def test_a_query_that_picks_children_and_joins_their_parent_walks_from_no_parent():
    from workbench.indexes.navigation import navigation_paths

    schema = with_files()
    lookup = "SELECT n.id, t.status FROM app.notes n JOIN app.tickets t ON t.id = n.ticket_id WHERE n.body = 'x'"
    found = navigation_paths([Query(lookup, calls=300)], [analyse(lookup, schema)], schema)
    assert [path.sql for path, _, _ in found] == ["SELECT 1 FROM app.notes WHERE ticket_id = $1"]


def test_a_heavy_query_the_set_serves_worse_than_a_candidate_alone_gets_one_more_index():
    from workbench.indexes.challenge import wins
    from workbench.indexes.picks import ADDED, Challenge, additions
    from workbench.indexes.confirm import Confirmation
    from workbench.indexes.measure import Comparison, Run
    from workbench.indexes.samples import Sample

    same = Candidate("app", "tickets", key("assignee_id"), kinds=("equality",))  # NARROW, found for another query
    evaluation = evaluation_of([TOP_N], {(0, NARROW): 50.0, (0, WIDE): 30.0, (0, OTHER): 20.0, (0, same): 10.0},
                               {NARROW: 1000, WIDE: 3000, OTHER: 500, same: 1000})
    case = Comparison(0, Sample("as written", TOP_N), Run(None, 30.0, None), index_plan("wb_1", 3.0))
    result = Confirmation([NARROW], Selection([NARROW]), plans={0: plan(40.0)}, names={"wb_1": NARROW},
                          comparisons=[case])
    assert additions(evaluation, result, [case], Limits()) == [Challenge(ADDED, 0, None, OTHER)]
    assert additions(evaluation, result, [case], Limits(max_indexes=1)) == []  # no room
    evaluation.candidates.remove(OTHER)
    assert additions(evaluation, result, [case], Limits()) == []  # WIDE extends NARROW: a widening's to try
    evaluation.candidates.append(OTHER)
    result.plans[0] = plan(15.0)
    assert additions(evaluation, result, [case], Limits()) == []  # the set is estimated cheaper already
    pick = Challenge(ADDED, 0, None, OTHER)
    held = [index_plan("wb_1", 3.0)]
    assert wins(pick, [case], held, [index_plan("wb_2", 1.0)], {"wb_2"}, Limits())
    assert not wins(pick, [case], held, [index_plan("wb_2", 1.8)], {"wb_2"}, Limits())  # not twice as fast


def test_the_text_advice_lists_the_indexes_a_challenger_replaced():
    from types import SimpleNamespace

    from workbench.indexes.report import replaced_lines

    why = "replaced by app.tickets (assignee_id, created_at), which reads the query in the order it needs (…)"
    advice = SimpleNamespace(left_out=[(NARROW, why), (OTHER, "measured gain too small for its cost")])
    assert replaced_lines(advice) == ["", "Replaced after timing:", f"  app.tickets (assignee_id): {why}"]
    assert replaced_lines(SimpleNamespace(left_out=[])) == []


def test_a_read_counts_its_median_warm_run_and_a_write_its_fastest_run():
    from workbench.indexes.measure import typical

    runs = [9.0, 2.0, 3.0, 7.0]  # the first warmed the cache
    assert typical(runs, write=False) == 3.0
    # a rolled-back write leaves index entries the next run must write past: later runs grow
    assert typical([246.0, 338.0, 386.0, 441.0], write=True) == 246.0
    assert typical(runs, write=True) == 2.0


def test_a_set_over_the_budget_as_built_loses_its_index_of_least_benefit_per_byte():
    from workbench.indexes.confirm import Confirmation, drop_one

    sizes = {NARROW: 1000, WIDE: 3000, OTHER: 500}
    benefit = {NARROW: 5.0, WIDE: 9.0, OTHER: 4.0}  # per byte: 0.005, 0.003, 0.008

    def dropped(budget):
        result = Confirmation([NARROW, WIDE, OTHER], Selection([NARROW, WIDE, OTHER], benefit), sizes=dict(sizes))
        drop_one(result, benefit, Limits(budget_bytes=budget), evaluation_of([TOP_N], {}, sizes))
        return result

    over = dropped(4000)  # the estimates fitted; built, the set takes 4,500 bytes
    assert over.chosen == [NARROW, OTHER]
    assert over.removed[WIDE].startswith("over the size budget as built")
    fits = dropped(4500)  # within: the next rules take over (here: no plan uses them)
    assert not any(why.startswith("over the size budget") for why in fits.removed.values())
    # an existing index the choice counted on dropping is used by the set's plans after all
    kept = Confirmation([NARROW, WIDE, OTHER], Selection([NARROW, WIDE, OTHER], benefit), sizes=dict(sizes),
                        room=lambda result: 4000)
    drop_one(kept, benefit, Limits(budget_bytes=4500), evaluation_of([TOP_N], {}, sizes))
    assert kept.chosen == [NARROW, OTHER] and "leaves 3.9 kB for new indexes" in kept.removed[WIDE]


def test_two_challenges_never_bring_the_same_index_in_twice():
    from workbench.indexes.picks import ADDED, Challenge, challenges, shrinks
    from workbench.indexes.confirm import Confirmation
    from workbench.indexes.measure import Comparison, Run
    from workbench.indexes.samples import Sample

    covering = Candidate("app", "tickets", key("assignee_id", "status"), predicate="deleted_at IS NULL",
                         include=("title",))  # its twin without INCLUDE is OTHER
    evaluation = evaluation_of([TOP_N], {(0, NARROW): 50.0, (0, OTHER): 20.0},
                               {NARROW: 1000, OTHER: 2 << 20, covering: 3 << 20})
    case = Comparison(0, Sample("as written", TOP_N), Run(None, 30.0, None), index_plan("wb_1", 3.0))
    result = Confirmation([NARROW, covering], Selection([NARROW, covering]), plans={0: plan(40.0)},
                          names={"wb_1": NARROW, "wb_2": covering}, comparisons=[case],
                          sizes={NARROW: 1000, covering: 3 << 20})
    assert [pick.challenger for pick in shrinks(evaluation, result)] == [OTHER]
    assert challenges(evaluation, result, Limits()) == [Challenge(ADDED, 0, None, OTHER)]


def test_an_index_whose_keys_another_chosen_index_starts_with_is_timed_without_it():
    from workbench.indexes.challenge import promote, wins
    from workbench.indexes.picks import FEWER, Challenge, redundant
    from workbench.indexes.confirm import Confirmation
    from workbench.indexes.measure import Comparison, Run
    from workbench.indexes.samples import Sample

    triage = Candidate("app", "tickets", key("assignee_id"), predicate="status = 'triage'")
    result = Confirmation([triage, WIDE, OTHER], Selection([triage, WIDE, OTHER]),
                          sizes={triage: 500, WIDE: 3000, OTHER: 800})
    # WIDE (assignee_id, created_at) serves what (assignee_id) WHERE … does; OTHER has its own predicate
    assert redundant(result) == [Challenge(FEWER, None, triage, WIDE)]
    assert redundant(Confirmation([WIDE, OTHER], Selection([WIDE, OTHER]), sizes={WIDE: 3000, OTHER: 800})) == []
    twins = Confirmation([NARROW, WIDE], Selection([NARROW, WIDE]), sizes={NARROW: 1000, WIDE: 3000})
    assert redundant(twins) == [Challenge(FEWER, None, NARROW, WIDE)]  # never both ways at once

    pick = Challenge(FEWER, None, triage, WIDE)
    case = Comparison(0, Sample("as written", TOP_N), Run(None, 30.0, None), index_plan("wb_1", 0.40))
    assert wins(pick, [case], [index_plan("wb_1", 0.40)], [index_plan("wb_2", 0.44)], set(), Limits())
    assert not wins(pick, [case], [index_plan("wb_1", 0.40)], [index_plan("wb_2", 0.70)], set(), Limits())
    promote(result, pick, [case], [index_plan("wb_1", 0.40)], [index_plan("wb_2", 0.44)])
    assert result.chosen == [WIDE, OTHER]
    assert result.removed[triage].startswith("replaced by app.tickets (assignee_id, created_at), which serves")


def test_an_index_of_several_keys_is_challenged_by_its_twin_without_the_last_key():
    from workbench.indexes.picks import SMALLER, Challenge, shrinks
    from workbench.indexes.confirm import Confirmation

    evaluation = evaluation_of([TOP_N], {}, {WIDE: 3 << 20, NARROW: 1 << 20})
    result = Confirmation([WIDE], Selection([WIDE]), sizes={WIDE: 3 << 20})
    assert shrinks(evaluation, result) == [Challenge(SMALLER, None, WIDE, NARROW)]
    single = Confirmation([NARROW], Selection([NARROW]), sizes={NARROW: 3 << 20})
    assert shrinks(evaluation, single) == []  # one key: nothing to drop


def test_deduplication_keeps_a_pointer_per_row_and_one_key_per_run():
    from workbench.indexes.dedup import share_kept

    assert share_kept(1.0, 8) == 1.0  # unique keys: nothing to deduplicate
    assert share_kept(1000.0, 8) == pytest.approx(6 / 20, rel=0.05)  # 6-byte pointers for 20-byte tuples
    assert share_kept(20.0, 16) < share_kept(3.0, 16) < 1.0


def test_sizes_the_proof_built_replace_the_estimates_and_scale_the_other_hypopg_ones():
    estimated, other, real = (Candidate("app", "tickets", key(n)) for n in ("status", "priority", "org_id"))
    found = Evaluation([], [], [])
    found.made = {estimated: Hypothetical(estimated, None, 3000, "hypopg"),
                  other: Hypothetical(other, None, 2000, "hypopg"),
                  real: Hypothetical(real, None, 1000, "real")}
    assert found.size(other) == 2000
    found.learn_sizes({estimated: 2000, real: 900})
    assert found.size(estimated) == 2000 and found.size(real) == 900
    assert found.size(other) == 1333  # scaled as HypoPG's estimate of `estimated` was: 2000 / 3000


def test_a_challenger_holding_the_same_columns_as_keys_wins_when_no_case_is_slower():
    from types import SimpleNamespace

    from workbench.indexes.challenge import promote, wins
    from workbench.indexes.picks import WIDER, Challenge
    from workbench.indexes.measure import Comparison, Run
    from workbench.indexes.samples import Sample

    covering = Candidate("app", "tickets", key("org_id"), include=("status", "amount"))
    keyed = Candidate("app", "tickets", key("org_id", "status"), include=("amount",))
    balance = "SELECT status, count(*), sum(amount) FROM app.tickets WHERE org_id = 3 GROUP BY status"
    case = Comparison(0, Sample("as written", balance), Run(None, 120.0, None), index_plan("wb_1", 20.0))
    pick = Challenge(WIDER, 0, covering, keyed)
    assert wins(pick, [case], [index_plan("wb_1", 20.0)], [index_plan("wb_2", 19.5)], {"wb_2"}, Limits())
    assert not wins(pick, [case], [index_plan("wb_1", 20.0)], [index_plan("wb_2", 26.0)], {"wb_2"}, Limits())
    assert not wins(pick, [case], [index_plan("wb_1", 20.0)], [index_plan("wb_1", 19.5)], {"wb_2"}, Limits())
    result = SimpleNamespace(chosen=[covering], removed={}, selection=SimpleNamespace(benefit={covering: 1.0}))
    promote(result, pick, [case], [index_plan("wb_1", 20.0)], [index_plan("wb_2", 19.5)])
    assert result.chosen == [keyed] and result.removed[covering] == (
        "replaced by app.tickets (org_id, status) INCLUDE (amount), which holds the same columns, more of them "
        "as keys, and no case is slower with it (query 1, as written: 20.00 ms -> 19.50 ms, measured)")
    wider = Challenge(WIDER, 0, covering, Candidate("app", "tickets", key("org_id", "status", "created_at"),
                                                    include=("amount",)))
    assert not wins(wider, [case], [index_plan("wb_1", 20.0)], [index_plan("wb_2", 19.5)], {"wb_2"}, Limits())


def test_an_index_pays_when_some_case_it_serves_gains_enough_both_ways():
    """The largest tenant saves the most milliseconds at less than twice as fast; the query as
    written gains fourteen times and 2.8 ms: the index pays."""
    from types import SimpleNamespace

    from workbench.indexes.confirm import small_gain
    from workbench.indexes.measure import Comparison, Run
    from workbench.indexes.samples import Sample

    report = Candidate("app", "tickets", key("org_id", "status"), include=("amount",))
    written = Comparison(0, Sample("as written", "SELECT 1"), Run(None, 3.0, None), index_plan("wb_1", 0.21))
    largest = Comparison(0, Sample("largest tenant", "SELECT 1"), Run(None, 12.63, None), index_plan("wb_1", 6.48))
    result = SimpleNamespace(comparisons=[written, largest], names={"wb_1": report}, plans={})
    assert small_gain(result, report, Limits()) is None
    result.comparisons = [largest]
    assert small_gain(result, report, Limits()) == (
        "measured gain too small for its cost: best case query 1 (largest tenant) 12.63 ms -> 6.48 ms")


def test_a_smaller_index_in_its_place_may_slow_a_rare_write_when_the_reads_gain_more():
    """The company view (300 calls) gains 1.7 ms with the small index; the nightly job (1 call)
    loses 38 ms: the day gains 510 ms. A read that is slower, or a write that loses more than
    the reads gain, keeps the big index."""
    from workbench.indexes.challenge import wins
    from workbench.indexes.picks import SWAPPED, Challenge
    from workbench.indexes.measure import Comparison, Run
    from workbench.indexes.samples import Sample

    def write_plan(ms):
        return Run(None, ms, Plan(PlanNode(0, "ModifyTable", relation="tickets", schema="app")))

    pick = Challenge(SWAPPED, 0, WIDE, NARROW)
    read = Comparison(0, Sample("as written", TOP_N), Run(None, 16.0, None), index_plan("wb_1", 4.4))
    nightly = Comparison(1, Sample("as written", "UPDATE app.tickets SET title = ''"), Run(None, 26.0, None),
                         write_plan(56.0))
    calls = {0: 300, 1: 1}
    assert wins(pick, [read, nightly], [index_plan("wb_1", 4.4), write_plan(56.0)],
                [index_plan("wb_2", 2.7), write_plan(94.0)], {"wb_2"}, Limits(), calls)
    assert not wins(pick, [read, nightly], [index_plan("wb_1", 4.4), write_plan(56.0)],
                    [index_plan("wb_2", 6.0), write_plan(56.0)], {"wb_2"}, Limits(), calls)  # the read is slower
    assert not wins(pick, [read, nightly], [index_plan("wb_1", 4.4), write_plan(56.0)],
                    [index_plan("wb_2", 2.7), write_plan(94.0)], {"wb_2"}, Limits(), {0: 10, 1: 1})
    assert not wins(pick, [read], [index_plan("wb_1", 4.4)], [index_plan("wb_1", 2.7)], {"wb_2"}, Limits(), calls)
