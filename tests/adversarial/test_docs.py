"""docs/INPUT.md documents every problem message that geo/ can produce.

Messages are found in the code itself (the AST, ``i18n.problems.messages``, which also gives the
catalogue of their translations): the message argument of ``Problem(...)``,
``file_error(...)``, ``problems.add(...)`` and the parse errors. Each message's longest literal
piece must appear in the documentation, so a new or reworded message fails this test until it
is documented.
"""

from pathlib import Path

import pytest

from i18n.problems import message_key as _key
from i18n.problems import messages

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "INPUT.md"


def _normalise(text: str) -> str:
    return " ".join(text.replace("`", "").replace("\\|", "|").split())


def test_messages_are_found():
    assert len(messages()) >= 50


@pytest.mark.parametrize(("source", "template", "severity"), messages())
def test_every_message_is_documented(source, template, severity):
    assert _key(template) in _normalise(DOC.read_text(encoding="utf-8")), (
        f"{source}: document this {severity} in docs/INPUT.md: {template!r}"
    )
