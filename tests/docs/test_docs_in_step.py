"""Documentation that must stay in step with the code."""

from __future__ import annotations

import inspect
from pathlib import Path

from osvm_core import hookspecs
from osvm_core.kernel.services import services_markdown

ROOT = Path(__file__).resolve().parents[2]


def _hookspecs():
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction):
        if name.startswith("osvm_"):
            yield name, list(inspect.signature(function).parameters)


def test_every_hookspec_is_documented_with_its_signature():
    guide = (ROOT / "docs" / "plugins.md").read_text()
    for name, params in _hookspecs():
        heading = f"### `{name}({', '.join(params)})`"
        assert heading in guide, f"docs/plugins.md lacks {heading}"


def test_the_guide_documents_no_hook_that_does_not_exist():
    guide = (ROOT / "docs" / "plugins.md").read_text()
    known = {name for name, _ in _hookspecs()}
    documented = {line.split("`")[1].split("(")[0] for line in guide.splitlines()
                  if line.startswith("### `osvm_")}
    assert documented == known


def test_services_reference_is_generated_from_the_table():
    assert (ROOT / "docs" / "services.md").read_text() == services_markdown(), \
        "regenerate: python -m osvm_core.kernel.services > docs/services.md"
