"""The design-review report without a database: rendering to HTML and Markdown (sections,
escaping of hostile names, self-contained output), the checklist registry and its config."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from workbench.catalog import Policy, Table
from workbench.errors import WorkbenchError
from workbench.report import (ChangeEntry, CheckResult, DraftEntry, FindingEntry, Grid, ImpactEntry,
                              ReviewData, VerifyEntry, load_report_config, render_html, render_markdown)
from workbench.report.checklist import CHECKLIST, Checklist, checklist_item, run_checklist
from workbench.report.checklist.facts import missing_commands
from workbench.report.config import ReportConfig
from workbench.report.markdown import fenced, md

HOSTILE = '<script>alert("x")</script> & | `tick` *b* [l](http://e.x) # $x$'
SECTIONS = ("checklist", "diagram", "drafts", "findings", "dry-run", "impact", "rls", "verify", "sign-off")
IMPACT_COLUMNS = ("#", "line", "statement", "time", "locks", "who waits", "rewrites and reads")


def review(**changes) -> ReviewData:
    """A review of a hostile change, every section filled."""
    values = dict(
        title=f"Schema change: create {HOSTILE}", database="host=h dbname=d password=***",
        server_version="18.6", applied=False,
        drafts=(DraftEntry(f"create {HOSTILE}", f"why:\n\n# {HOSTILE}",
                           f'CREATE TABLE "{HOSTILE}" (id int); -- ```',
                           f'DROP TABLE "{HOSTILE}";', approved_by="alice",
                           notes=(f"- {HOSTILE}",), source="0001_x.py"),),
        changes=(ChangeEntry("added", "table", f"app.{HOSTILE}"),), restores=True,
        touched=(f"app.{HOSTILE}",),
        findings=(FindingEntry("squawk", "warn", "require-timeout", "line 1:1", HOSTILE, "open", "d"),
                  FindingEntry("advisor", "error", "rls_disabled", f"app.{HOSTILE}", HOSTILE, "fixed")),
        rls=Grid(("table", "verdict"), ((HOSTILE, "isolated"),)),
        verify=VerifyEntry(True, "1 revisions, all passed", Grid(("revision", "ok"), (("abc", "yes"),)),
                           Grid(("name", "verdict"), (("upgrade to head", "passed"),))),
        checklist=(CheckResult("a", "RLS on new tables", "passed", HOSTILE),
                   CheckResult("b", "Types regenerated", "failed", "no types file", (HOSTILE,)),
                   CheckResult("c", "Probe", "not available", "missing")),
        impact=(ImpactEntry(f"create {HOSTILE}", f"lock trace on d: 1 statement(s) {HOSTILE}",
                            Grid(IMPACT_COLUMNS, (("1", "1", f'CREATE TABLE "{HOSTILE}"', "0.50 ms",
                                                   f"ACCESS EXCLUSIVE on app.{HOSTILE}, held 0.50 ms",
                                                   f"app.{HOSTILE}: every SELECT waits", "creates it"),)),
                            notes=(f"# {HOSTILE}",)),
                ImpactEntry("second", error=f"statement 1 failed: {HOSTILE}")),
        unavailable={"diagram": f"no graphviz {HOSTILE}"})
    values.update(changes)
    return ReviewData(**values)


class Tags(HTMLParser):
    """The start tags and attribute names of a page."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes = set(), set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}


def test_html_has_every_section_and_escapes_everything():
    page = render_html(review())
    for anchor in SECTIONS:
        assert f'<section id="{anchor}">' in page
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    parser = Tags()
    parser.feed(page)
    assert not parser.tags & {"script", "link", "img", "iframe", "object", "a"}
    assert not parser.attributes & {"src", "href", "onload", "onclick"}
    assert "<style>" in page and "Not available: no graphviz" in page
    assert "1 of 3 ticked" in page and "approved by alice" in page


def test_html_shows_the_rollback_plan_and_findings_status():
    page = render_html(review())
    assert "Down (the rollback plan)" in page and "DROP TABLE" in page
    assert "<td>fixed</td>" in page and "<td>open</td>" in page


def test_the_impact_section_shows_each_drafts_trace_or_its_error():
    page = render_html(review())
    impact = page.split('<section id="impact">')[1].split("</section>")[0]
    assert "<h2>Impact: locks, rewrites, time, who waits</h2>" in impact
    assert "<th>who waits</th>" in impact and "ACCESS EXCLUSIVE on app.&lt;script&gt;" in impact
    assert '<span class="bad">Not traced:</span> statement 1 failed: &lt;script&gt;' in impact
    text = render_markdown(review())
    part = text.split("## Impact: locks, rewrites, time, who waits")[1].split("\n## ")[0]
    assert "\n### 2. second\n" in part
    assert "**Not traced:** statement 1 failed: &lt;script&gt;" in part
    assert "| # | line | statement | time | locks | who waits | rewrites and reads |" in part
    assert "- \\# &lt;script&gt;" in outside_code(part)  # a note cannot become a heading
    assert "impact: 1 of 2 Draft(s) traced; NOT traced: second" in review().summary_text()


def outside_code(text: str) -> str:
    """The Markdown lines outside fenced code blocks (code is shown literally)."""
    kept, fence = [], None
    for line in text.splitlines():
        if fence is None and line.startswith("```"):
            fence = line[:len(line) - len(line.lstrip("`"))]
        elif fence is not None and line == fence:
            fence = None
        elif fence is None:
            kept.append(line)
    return "\n".join(kept)


def test_markdown_variant_escapes_and_ticks():
    text = render_markdown(review())
    prose = outside_code(text)
    assert "<script>" not in prose and "&lt;script&gt;" in prose
    assert "\\[l\\](http" in prose  # no link: its brackets are escaped
    assert "- [x] **RLS on new tables** (done)" in text
    assert "- [ ] **Types regenerated** (not done)" in text
    assert "- [ ] **Probe** (not available)" in text
    assert "\\# &lt;script" in text  # a rationale paragraph cannot become a heading
    assert "````sql\nCREATE TABLE" in text  # the fence outgrows the backticks inside
    assert "\\| \\`tick\\`" in text


def test_markdown_helpers():
    assert md("a|b*c_d") == "a\\|b\\*c\\_d"
    assert md("# title", line_start=True) == "\\# title" and md("12. x", line_start=True) == "12\\. x"
    assert md("18.6") == "18.6" and md("line\nbreak") == "line break"
    assert fenced("x ``` y").startswith("````\n")


def test_unavailable_sections_say_so():
    page = render_html(review(changes=None, rls=None, verify=None, impact=(),
                              unavailable={"dry run": "it failed", "rls": "no probe", "impact": "applied"}))
    assert "Not available: it failed" in page and "Not available: no probe" in page
    assert "Not available: applied" in page.split('<section id="impact">')[1]
    assert "Not available: not available" in page  # verify, no reason recorded


def test_summary_text():
    text = review().summary_text()
    assert "checklist: 1 of 3 ticked" in text and "dry run: 1 change(s)" in text


def test_missing_commands_of_a_table():
    def table(*policies):
        return Table("app", "t", "table", "me", policies=policies, rls_enabled=True)

    assert missing_commands(table()) == ("SELECT", "INSERT", "UPDATE", "DELETE")
    assert missing_commands(table(Policy("app", "t", "p", "ALL"))) == ()
    assert missing_commands(table(Policy("app", "t", "p", "SELECT"),
                                  Policy("app", "t", "q", "ALL", permissive=False))) == \
        ("INSERT", "UPDATE", "DELETE")


def test_registry_refuses_twice_and_chooses_items():
    registry = Checklist()

    @checklist_item("mine", "My item", registry=registry)
    def mine(facts):
        return "passed", f"saw {facts}"

    @checklist_item("off", "Off by default", enabled=False, registry=registry)
    def off(facts):
        raise RuntimeError("broken")

    with pytest.raises(WorkbenchError, match="registered twice"):
        checklist_item("mine", "again", registry=registry)(mine)
    assert [i.id for i in registry.chosen()] == ["mine"]
    assert [i.id for i in registry.chosen(enable=["off"], disable=["mine"])] == ["off"]
    results = run_checklist("facts", registry.chosen(enable=["off"]))
    assert results[0].detail == "saw facts"
    assert (results[1].status, results[1].detail) == ("failed", "the check could not run: RuntimeError: broken")
    with pytest.raises(WorkbenchError, match="unknown checklist item 'nope'"):
        registry.chosen(disable=["nope"])


def test_builtin_items_are_registered():
    ids = [item.id for item in CHECKLIST]
    for wanted in ("rls_on_new_tables", "policies_for_every_command", "indexes_on_new_foreign_keys",
                   "types_regenerated", "verify_passed", "no_long_blocking_locks"):
        assert wanted in ids


def test_config_from_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.workbench.report]\ndisable = ["rls_probe_passed"]\ntypes_file = "types/db.ts"\n')
    config = load_report_config(tmp_path / "pyproject.toml")
    assert config.disable == ("rls_probe_passed",)
    assert config.types_path(tmp_path) == tmp_path / "types" / "db.ts"
    assert load_report_config(tmp_path / "missing.toml") == ReportConfig()
    with pytest.raises(WorkbenchError, match="unknown setting 'colour'"):
        ReportConfig.from_dict({"colour": "red"})
    with pytest.raises(WorkbenchError, match="list of strings"):
        ReportConfig.from_dict({"enable": "x"})


def test_the_blocking_lock_limit_is_a_duration(tmp_path):
    assert ReportConfig().blocking_lock_limit_ms == 1000
    (tmp_path / "pyproject.toml").write_text('[tool.workbench.report]\nblocking_lock_limit = "250ms"\n')
    assert load_report_config(tmp_path / "pyproject.toml").blocking_lock_limit_ms == 250
    with pytest.raises(WorkbenchError, match="blocking_lock_limit: bad duration 'soon'") as info:
        ReportConfig.from_dict({"blocking_lock_limit": "soon"}, source="pyproject.toml")
    assert info.value.where == "pyproject.toml" and "500ms" in info.value.hint


def test_drafts_from_sql_files(tmp_path):
    from workbench.report.sources import draft_from_sql

    (tmp_path / "add_things.up.sql").write_text("CREATE TABLE t (id int)")
    (tmp_path / "add_things.down.sql").write_text("DROP TABLE t;")
    draft = draft_from_sql(tmp_path / "add_things.up.sql")
    assert (draft.title, draft.down) == ("add things", "DROP TABLE t;")
    (tmp_path / "only_up.sql").write_text("CREATE TABLE u (id int);")
    assert "no down SQL" in draft_from_sql(tmp_path / "only_up.sql").irreversible


def test_drafts_from_revision_files(tmp_path):
    from workbench.report.sources import draft_from_revision

    path = tmp_path / "20260101000000_add_t.py"
    path.write_text('"""Add t\n\nWhy.\n"""\nUP_SQL = """\nCREATE TABLE t (id int);\n"""\n'
                    'DOWN_SQL = "DROP TABLE t;"\n')
    draft = draft_from_revision(path)
    assert (draft.title, draft.up, draft.down) == ("Add t", "CREATE TABLE t (id int);", "DROP TABLE t;")
    path.write_text("x = 1\n")
    with pytest.raises(WorkbenchError, match="no UP_SQL"):
        draft_from_revision(path)
