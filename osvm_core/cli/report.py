"""Plain-text reports of a run: the --stats tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel


def _table(headers: list[str], rows: list[list[object]]) -> str:
    cells = [headers] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if i == 0 or not c[:1].isdigit() else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def stats_report(kernel: Kernel) -> str:
    total = kernel.board.now() or 1
    tasks = [[t.name, t.vm_name, t.state.value, t.cycles, f"{100 * t.cycles / total:.1f}%", t.switches,
              t.waits, t.wait_cycles, "fault" if t.fault else ("" if t.exit_code is None else t.exit_code)]
             for t in sorted(kernel.tasks.values(), key=lambda t: t.id)]
    domains = [[d.name, d.policy.name, d.share, d.cycles, f"{100 * d.cycles / total:.1f}%",
                kernel.vm_cycles.get(d.name, 0), d.switches, d.turns]
               for d in [kernel.kernel_domain, *kernel.domains]]
    parts = [
        f"== stats: {kernel.halted.reason if kernel.halted else 'running'} at cycle {kernel.board.now()} "
        f"(idle {kernel.idle_cycles} cycles, services {kernel.service_cycles})",
        _table(["task", "vm", "state", "cycles", "cpu", "switches", "waits", "wait cycles", "exit"], tasks),
        "",
        _table(["domain", "policy", "share", "cycles", "cpu", "in own vm", "switches", "turns"], domains),
        "(cycles: what the domain's tasks used, services included; in own vm: cycles executed by the VM "
        "itself, for any task)",
    ]
    ports = [p.stats() for p in kernel.objects.all("port")]
    if ports:
        parts += ["", _table(["port", "capacity", "sent", "received", "overflows", "high water"],
                             [[p["port"], p["capacity"], p["sent"], p["received"], p["overflows"],
                               p["high_water"]] for p in ports])]
    policy_rows = [[d.name, k, v] for d in kernel.domains for k, v in sorted(d.policy.stats().items())]
    if policy_rows:
        parts += ["", _table(["domain", "policy figure", "value"], policy_rows)]
    return "\n".join(parts)
