"""Running the whole TTSP3 set and reporting it per module and per service call."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .data import MODULES, Scenario, load_file, yaml_files
from .runner import HANDLER_NAMES, Result, Runner

#: Features the personality chooses not to offer, with the reason (listed, never silently dropped).
NOT_OFFERED: dict[str, str] = {}


def scenarios(root: Path, modules: Iterable[str] = MODULES) -> list[Scenario]:
    found: list[Scenario] = []
    for path in yaml_files(root, tuple(modules)):
        found.extend(load_file(root, path))
    return found


def _calls(scenario: Scenario) -> list[str]:
    text = repr({k: v for k, v in scenario.body.items() if k.startswith("do")})
    return re.findall(r"(?:syscall|code)': '(?:\w+\s*=\s*)?(\w+)\s*\(", text)


def skip_reason(scenario: Scenario) -> str | None:
    """Why a scenario is not run: it needs a feature listed in NOT_OFFERED."""
    from ..services import table

    offered = {item.name for item in table()}
    for name in _calls(scenario):
        service = name[5:].lower() if name.startswith("TTSP_") else name
        if service in NOT_OFFERED:
            return NOT_OFFERED[service]
        if service not in offered and HANDLER_NAMES.get(service) not in offered:
            return f"{service} is not offered by the personality"
    if scenario.file.endswith("_ten.yaml") and "_ten" in NOT_OFFERED:
        return NOT_OFFERED["_ten"]
    return None


def run_one(scenario: Scenario) -> Result:
    reason = skip_reason(scenario)
    if reason is not None:
        return Result(scenario, "skip", [reason])
    return Runner(scenario).run()


def run_all(root: Path, modules: Iterable[str] = MODULES, services: Iterable[str] = (),
            progress: Callable[[Result], None] | None = None) -> list[Result]:
    wanted = set(services)
    results = []
    for scenario in scenarios(root, modules):
        if wanted and scenario.service not in wanted:
            continue
        result = run_one(scenario)
        results.append(result)
        if progress is not None:
            progress(result)
    return results


@dataclass
class Row:
    module: str
    service: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    reasons: set[str] = field(default_factory=set)


def rows(results: list[Result]) -> list[Row]:
    table: dict[tuple[str, str], Row] = {}
    for result in results:
        key = (result.scenario.module, result.scenario.service)
        row = table.setdefault(key, Row(*key))
        if result.status == "pass":
            row.passed += 1
        elif result.status == "fail":
            row.failed += 1
        else:
            row.skipped += 1
            row.reasons.add(result.reason)
    order = {module: index for index, module in enumerate(MODULES)}
    return sorted(table.values(), key=lambda r: (order.get(r.module, 99), r.service))


def format_table(results: list[Result]) -> str:
    lines = [f"{'module':<12} {'service':<10} {'pass':>5} {'fail':>5} {'skip':>5}  skipped because"]
    totals = Row("total", "")
    module_totals: dict[str, Row] = {}
    for row in rows(results):
        reason = "; ".join(sorted(row.reasons))
        lines.append(f"{row.module:<12} {row.service:<10} {row.passed:>5} {row.failed:>5} {row.skipped:>5}  "
                     f"{reason}".rstrip())
        total = module_totals.setdefault(row.module, Row(row.module, "(all)"))
        for target in (total, totals):
            target.passed += row.passed
            target.failed += row.failed
            target.skipped += row.skipped
    lines.append("")
    for row in list(module_totals.values()) + [totals]:
        lines.append(f"{row.module:<12} {row.service:<10} {row.passed:>5} {row.failed:>5} {row.skipped:>5}")
    return "\n".join(lines)


def format_failures(results: list[Result]) -> str:
    lines = []
    for result in results:
        if result.status == "fail":
            lines.append(f"FAIL {result.scenario.file} {result.scenario.id}")
            lines.extend(f"     {message}" for message in result.messages)
        elif result.status == "skip":
            lines.append(f"SKIP {result.scenario.file} {result.scenario.id}: {result.reason}")
    return "\n".join(lines)
