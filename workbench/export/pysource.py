"""Python source pieces of a revision file: string literals, docstrings, module constants."""
from __future__ import annotations

import ast


def python_string(text: str) -> str:
    """A Python literal for ``text``: a readable triple-quoted string when safe, else repr()."""
    plain = all(ch.isprintable() or ch in "\n\t" for ch in text)
    if plain and '"""' not in text and "\\" not in text and not text.endswith('"'):
        return f'"""\n{text}"""'
    return repr(text)


def docstring_body(text: str) -> str:
    """``text`` escaped for the inside of a triple-quoted docstring: reading the module back
    gives ``text`` exactly (quotes, backslashes and control characters included)."""
    out = []
    for ch in text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"'):
        if ch in "\n\t" or ch.isprintable():
            out.append(ch)
        else:
            out.append(ascii(ch)[1:-1])  # e.g. \x00, \u2028
    body = "".join(out)
    return body[:-1] + '\\"' if body.endswith('"') else body


def module_constant(source: str, name: str):
    """The literal value assigned to ``name`` at the top of a Python module, or None."""
    tree = _parse(source)
    for node in tree.body if tree else ():
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                return None
    return None


def module_docstring(source: str) -> str:
    """The module's docstring (empty when it has none or does not parse)."""
    tree = _parse(source)
    return (ast.get_docstring(tree, clean=False) or "") if tree else ""


def _parse(source: str):
    try:
        return ast.parse(source)
    except SyntaxError:
        return None
