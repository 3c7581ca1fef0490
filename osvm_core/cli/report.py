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
        lines.append("  ".join(c.ljust(w) if i == 0 or not (c[:1].isdigit() or c == "-") else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _figure(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _spread(values: list[int]) -> tuple[object, object, object]:
    """Count, mean and maximum of ``values`` for a table ("-" when there are none)."""
    if not values:
        return 0, "-", "-"
    return len(values), round(sum(values) / len(values)), max(values)


def _traced_responses(kernel: Kernel) -> dict[str, tuple[list[int], list[int]]]:
    """Per task name, from the trace: response times (activate to exit or fault) and wake-up
    latencies (a release to the task's next dispatch)."""
    from bisect import bisect_left

    trace = kernel.trace
    starts: dict[str, list[int]] = {}
    for piece in trace.slices:
        starts.setdefault(piece.task, []).append(piece.start)
    activated: dict[str, int] = {}
    found: dict[str, tuple[list[int], list[int]]] = {}
    for cycle, kind, who, _detail in trace.events:
        if kind == "activate":
            activated[who] = cycle
        elif kind in ("exit", "fault") and who in activated:
            found.setdefault(who, ([], []))[0].append(cycle - activated.pop(who))
        elif kind == "release":
            runs = starts.get(who, [])
            index = bisect_left(runs, cycle)
            if index < len(runs):
                found.setdefault(who, ([], []))[1].append(runs[index] - cycle)
    return found


def response_report(kernel: Kernel) -> str:
    """Per task: first-run latency and turnaround (always), response times and wake-up latencies
    (when the run was traced)."""
    traced = kernel.trace.enabled
    responses = _traced_responses(kernel) if traced else {}
    rows = []
    for t in sorted(kernel.tasks.values(), key=lambda t: t.id):
        first = "-" if t.started_at is None or t.first_run_at is None else t.first_run_at - t.started_at
        turnaround = "-" if t.started_at is None or t.ended_at is None else t.ended_at - t.started_at
        row: list[object] = [t.name, t.vm_name, t.started_at if t.started_at is not None else "-", first,
                             turnaround]
        if traced:
            done, wakes = responses.get(t.name, ([], []))
            row += [*_spread(done), *_spread(wakes)]
        rows.append(row)
    headers = ["task", "vm", "started", "first run", "turnaround"]
    if traced:
        headers += ["responses", "mean", "max", "wake-ups", "wake mean", "wake max"]
    table = _table(headers, rows)
    note = ("(cycles. first run: start to first dispatch; turnaround: start to end of the last activation; "
            "responses: activation to exit; wake-ups: release of a wait to the next dispatch")
    note += ")" if traced else "; responses and wake-ups need a traced run: add --trace FILE or --events FILE)"
    return table + "\n" + note


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
        response_report(kernel),
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
    all_domains = [kernel.kernel_domain, *kernel.domains]
    policy_rows = [[d.name, d.policy.name, k, _figure(v)] for d in all_domains
                   for k, v in sorted(d.policy.stats().items())]
    if policy_rows:
        parts += ["", _table(["domain", "policy", "policy figure", "value"], policy_rows)]
    else:
        parts += ["", "(no policy figures: " + ", ".join(f"{d.name} {d.policy.name}" for d in all_domains)
                  + " report none)"]
    fallbacks = getattr(kernel, "watchdog_fallbacks", [])
    if fallbacks:
        parts += ["", _table(["watchdog at", "domain", "replaced policy", "starved task", "unpicked"],
                             [[f.cycle, f.domain, f.policy, f.task, f.unpicked] for f in fallbacks]),
                  f"({len(fallbacks)} fallback(s) to round-robin; bound {kernel.watchdog} cycles)"]
    return "\n".join(parts)
