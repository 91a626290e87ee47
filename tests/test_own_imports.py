"""The package imports its own modules plainly: an ``except ImportError`` around an import of
``workbench.*`` can only turn a bug into "not available" or a silent default."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def catches_import_errors(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id in IMPORT_ERRORS for n in names)


def imports_own_module(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "workbench"
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "workbench" for alias in node.names)
    return False


def guarded_own_imports(source: str) -> list[int]:
    """The lines of the imports of the package inside a try that catches import errors."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Try) and any(catches_import_errors(h) for h in node.handlers):
            found += [inner.lineno for statement in node.body for inner in ast.walk(statement)
                      if imports_own_module(inner)]
    return found


def test_no_import_of_the_package_is_guarded():
    guarded = [f"{path.relative_to(PACKAGE.parent)}:{line}" for path in sorted(PACKAGE.rglob("*.py"))
               for line in guarded_own_imports(path.read_text(encoding="utf-8"))]
    assert guarded == []


def test_the_check_finds_guarded_imports_of_the_package_only():
    assert guarded_own_imports("try:\n    from .lint import lint\nexcept ImportError:\n    lint = None\n") == [2]
    assert guarded_own_imports("try:\n    import workbench.lint\nexcept Exception:\n    pass\n") == [2]
    assert guarded_own_imports("try:\n    import fcntl\nexcept ImportError:\n    fcntl = None\n") == []
