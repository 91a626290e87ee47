"""The project's own promises: its files agree with each other (no server needed)."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _names(requirements) -> set[str]:
    return {re.split(r"[\[<>=]", req, maxsplit=1)[0].strip().lower() for req in requirements}


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = _pyproject()["project"]
    wanted = _names(project["dependencies"] + project["optional-dependencies"]["test"])
    lines = (ROOT / "environment.yml").read_text().splitlines()
    pip_lines = [ln.strip()[2:] for ln in lines if ln.startswith("      - ") and not ln.strip().startswith("- -e")]
    assert _names(pip_lines) == wanted


def test_readme_gives_exactly_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Two commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [ln.split("#")[0].strip() for ln in block.strip().splitlines()]
    assert commands == ["make lab", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_layout_exists():
    for place in ["notebooks", "workbench", "migrations", "diagrams", "tests", "benchmarks",
                  "environment.yml", "README.md", "Makefile", ".ci/run"]:
        assert (ROOT / place).exists(), place


def test_workbench_state_is_git_ignored():
    assert ".workbench/" in (ROOT / ".gitignore").read_text().splitlines()


def test_every_image_and_link_of_the_readme_exists():
    readme = (ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)#\s]+)\)", readme)
    local = [t for t in targets if "://" not in t]
    assert any(t.startswith("docs/screenshots/") for t in local)
    assert [t for t in local if not (ROOT / t).exists()] == []


def _two_commands_section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]


def test_readme_says_where_the_workbench_command_lives():
    section = _two_commands_section()
    assert "source .venv/bin/activate" in section and ".venv/bin/workbench" in section


def test_readme_says_what_the_two_commands_install_and_leave_running():
    section = _two_commands_section()
    assert "as root" in section and "apt-get" in section
    for package in ("graphviz", "chromium", "postgresql-15-hypopg"):
        assert package in section, package
    assert "leave the embedded\nserver running" in section and "`make stop`" in section
    assert "stop:" in (ROOT / "Makefile").read_text()


def test_readme_documents_every_exit_code():
    readme = (ROOT / "README.md").read_text()
    for code in ("0 success", "1 the check failed", "2 a usage or user", "3 a crash"):
        assert code in readme, code


def test_readme_registers_the_mcp_server_with_a_command_that_exists():
    import json

    from workbench.cli import build_parser

    readme = (ROOT / "README.md").read_text()
    section = readme.split("## For coding agents (MCP)", 1)[1].split("\n## ", 1)[0]
    server = json.loads(section.split("```json", 1)[1].split("```", 1)[0])["mcpServers"]["workbench"]
    command = Path(server["command"])
    assert command.parent == Path(".venv/bin") and command.name in _pyproject()["project"]["scripts"]
    assert server["args"] == ["mcp"] and build_parser().parse_args(server["args"]).command == "mcp"
    for tool in ("get_advisors", "draft_migration", "dry_run", "export_migration", "verify_migrations"):
        assert tool in section, tool
