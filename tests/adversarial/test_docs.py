"""docs/INPUT.md documents every problem message that geo/ can produce.

Messages are found in the code itself (the AST): the message argument of ``Problem(...)``,
``file_error(...)``, ``problems.add(...)`` and the parse errors. Each message's longest literal
piece must appear in the documentation, so a new or reworded message fails this test until it
is documented.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "INPUT.md"
CALLS = {
    "Problem": 4,
    "_cell_problem": 2,
    "file_error": 0,
    "add": 3,
    "DateParseError": 0,
    "CountParseError": 0,
}


def _template(node: ast.AST) -> str | None:
    """The message as text, ``{}`` for interpolated parts; None when it is not literal text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _template(node.left), _template(node.right)
        return None if left is None and right is None else (left or "{}") + (right or "{}")
    return None


def messages() -> list[tuple[str, str, str]]:
    """(file, message template, severity) for every message in geo/."""
    found = []
    for path in sorted((ROOT / "geo").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            found += [(path.name, text, "error") for text in _listed(node)]
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in CALLS or len(node.args) <= CALLS[name]:
                continue
            text = _template(node.args[CALLS[name]])
            severity = "error"
            if name in ("Problem", "add") and len(node.args) > CALLS[name] + 1:
                sev = node.args[CALLS[name] + 1]
                severity = sev.value if isinstance(sev, ast.Constant) else "error"
            if name == "Problem" and len(node.args) > 3 and isinstance(node.args[3], ast.Constant):
                severity = node.args[3].value
            if text and len(_key(text)) >= 8:
                found.append((path.name, text, severity))
    return found


def _listed(node: ast.AST) -> list[str]:
    """Messages chosen from lists: ``np.select(conditions, [messages])``, the ``needs`` table
    of geo_precision rules and the kinds of unknown names."""
    texts: list[ast.AST] = []
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name == "select" and len(node.args) > 1 and isinstance(node.args[1], ast.List):
            texts = list(node.args[1].elts)
        if name == "_unknown_message" and node.args:
            texts = [node.args[0]]
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "needs":
        texts = [v.elts[1] for v in node.value.values if isinstance(v, ast.Tuple)]
    found = [_template(t) for t in texts]
    return [t for t in found if t and " " in t and len(_key(t)) >= 8]


def _key(template: str) -> str:
    """The longest literal piece of a message, white space normalised."""
    pieces = [" ".join(p.split()) for p in re.split(r"\{\}", template)]
    return max(pieces, key=len).strip(" .;:,'\"")


def _normalise(text: str) -> str:
    return " ".join(text.replace("`", "").replace("\\|", "|").split())


def test_messages_are_found():
    assert len(messages()) >= 50


@pytest.mark.parametrize(("source", "template", "severity"), messages())
def test_every_message_is_documented(source, template, severity):
    assert _key(template) in _normalise(DOC.read_text(encoding="utf-8")), (
        f"{source}: document this {severity} in docs/INPUT.md: {template!r}"
    )
