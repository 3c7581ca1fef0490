"""The kernel trace as a Chrome trace (Trace Event Format, JSON object form).

Open the file in Perfetto (https://ui.perfetto.dev, "Open trace file") or
chrome://tracing. The mapping, documented in docs/traces.md:

- one process (``pid``) per scheduling domain: ``kernel`` first, then the VMs;
  one thread (``tid`` = task id) per task, named by ``M`` metadata events;
- ``X`` complete events, category ``run``: one per dispatch (task, VM, cycles);
- ``X`` events, category ``call``: a call through the names tree, from the call
  to the return, enclosing the callee's run slices (cross-VM calls included);
- ``b``/``e`` async events, category ``wait``: from a wait to its release;
- ``i`` instant events: ``syscall`` (the service path), ``interrupt``,
  ``task`` (activate, exit, fault), ``overflow``, ``bind``, and global
  ``boot`` and ``halt``.

Timestamps are microseconds of simulated time: ``cycle * 1e6 / clock_hz``;
``otherData.clock_hz`` records the clock so viewers can go back to cycles.
The output depends only on the trace: the same run gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel
    from ..kernel.trace import Trace

#: ``displayTimeUnit`` of the files we write.
DISPLAY_TIME_UNIT = "ms"


@dataclass
class TraceContext:
    """What the trace itself does not say: the clock, the domains, the tasks, the lines."""

    clock_hz: int
    domains: list[str] = field(default_factory=list)                   # kernel first, then VMs
    policies: dict[str, str] = field(default_factory=dict)             # domain -> policy name
    tasks: list[tuple[int, str, str]] = field(default_factory=list)    # (id, name, domain)
    lines: dict[int, str] = field(default_factory=dict)                # line number -> name
    metadata: dict[str, Any] = field(default_factory=dict)


def context_of(kernel: Kernel, **metadata: Any) -> TraceContext:
    """The context of a kernel's trace; ``metadata`` goes to ``otherData`` (system name, seed...)."""
    from ..kernel.kernel import SERVICE_CYCLES

    domains = [kernel.kernel_domain, *kernel.domains]
    info: dict[str, Any] = {"board": getattr(kernel.board, "name", ""), "quantum": kernel.quantum,
                            "seed": kernel.seed, "cycles": kernel.board.now(),
                            "service_cycles": SERVICE_CYCLES}
    if kernel.halted is not None:
        info["halt"] = kernel.halted.reason
    info.update(metadata)
    return TraceContext(
        clock_hz=int(kernel.board.clock_hz),
        domains=[d.name for d in domains],
        policies={d.name: d.policy.name for d in domains},
        tasks=[(t.id, t.name, t.domain.name) for t in sorted(kernel.tasks.values(), key=lambda t: t.id)],
        lines={line.number: line.name for line in kernel.board.lines},
        metadata=info,
    )


class _Builder:
    def __init__(self, context: TraceContext) -> None:
        if context.clock_hz <= 0:
            raise ValueError(f"clock_hz must be positive, got {context.clock_hz}")
        self.hz = context.clock_hz
        self.context = context
        self.pids: dict[str, int] = {}
        self.process_tasks: dict[int, list[tuple[int, str]]] = {}
        self.tids: dict[str, int] = {}          # task name -> tid (the first task of that name)
        self.task_pid: dict[int, int] = {}      # tid -> pid
        self.out: list[tuple[int, int, int, dict[str, Any]]] = []
        self.order = 0                          # position in the kernel's own order of recording
        for name in context.domains:
            self.pid(name)
        for task_id, name, domain in context.tasks:
            self.thread(task_id, name, domain)

    # ---------------------------------------------------------------- ids
    def pid(self, domain: str) -> int:
        pid = self.pids.get(domain)
        if pid is None:
            pid = self.pids[domain] = len(self.pids) + 1
            self.process_tasks[pid] = []
        return pid

    def thread(self, task_id: int, name: str, domain: str) -> int:
        if task_id not in self.task_pid:
            pid = self.pid(domain)
            self.task_pid[task_id] = pid
            self.process_tasks[pid].append((task_id, name))
        self.tids.setdefault(name, task_id)
        return task_id

    def tid_of(self, name: str) -> int | None:
        return self.tids.get(name)

    def us(self, cycle: int) -> int | float:
        whole, rest = divmod(cycle * 1_000_000, self.hz)
        return whole if rest == 0 else round(cycle * 1_000_000 / self.hz, 3)

    def dur(self, start: int, end: int) -> int | float:
        a, b = self.us(start), self.us(end)
        return b - a if isinstance(a, int) and isinstance(b, int) else round(b - a, 3)

    # ---------------------------------------------------------------- events
    def emit(self, cycle: int, event: dict[str, Any], cycles: int = 0) -> None:
        event["ts"] = self.us(cycle)
        self.out.append((cycle, self.order, -cycles, event))

    def complete(self, start: int, end: int, name: str, cat: str, pid: int, tid: int,
                 args: dict[str, Any]) -> None:
        self.emit(start, {"name": name, "cat": cat, "ph": "X", "dur": self.dur(start, end),
                          "pid": pid, "tid": tid, "args": args}, end - start)

    def instant(self, cycle: int, name: str, cat: str, pid: int, tid: int, scope: str,
                args: dict[str, Any] | None = None) -> None:
        event: dict[str, Any] = {"name": name, "cat": cat, "ph": "i", "s": scope, "pid": pid, "tid": tid}
        if args:
            event["args"] = args
        self.emit(cycle, event)

    def metadata_events(self) -> list[dict[str, Any]]:
        policies = self.context.policies
        events: list[dict[str, Any]] = []
        for domain, pid in self.pids.items():
            events.append({"name": "process_name", "ph": "M", "ts": 0, "pid": pid, "tid": 0,
                           "args": {"name": domain}})
            events.append({"name": "process_sort_index", "ph": "M", "ts": 0, "pid": pid, "tid": 0,
                           "args": {"sort_index": pid}})
            if domain in policies:
                events.append({"name": "process_labels", "ph": "M", "ts": 0, "pid": pid, "tid": 0,
                               "args": {"labels": f"policy {policies[domain]}"}})
            for index, (tid, name) in enumerate(self.process_tasks[pid]):
                events.append({"name": "thread_name", "ph": "M", "ts": 0, "pid": pid, "tid": tid,
                               "args": {"name": name}})
                events.append({"name": "thread_sort_index", "ph": "M", "ts": 0, "pid": pid, "tid": tid,
                               "args": {"sort_index": index}})
        return events


def _vm_of_path(path: str) -> str:
    parts = path.split("/")
    return parts[2] if len(parts) > 3 and parts[1] == "mod" else ""


def chrome_trace(trace: Trace, context: TraceContext) -> dict[str, Any]:
    """The Chrome trace of ``trace``: ``{"displayTimeUnit", "otherData", "traceEvents"}``."""
    b = _Builder(context)
    kernel_pid = b.pid("kernel")
    last = 0

    for s in trace.slices:
        b.order = 2 * s.order - 1       # after the events recorded before it, before the next one
        tid = b.thread(s.task_id, s.task, s.domain)
        pid = b.task_pid[tid]
        end = s.start + s.used
        last = max(last, end)
        if s.used > 0:
            args: dict[str, Any] = {"vm": s.vm, "cycles": s.used, "start_cycle": s.start, "stop": s.outcome}
            if s.target:
                args["target"] = s.target
            b.complete(s.start, end, s.entry or f"{s.task} ({s.vm})", "run", pid, tid, args)
        if s.outcome == "syscall":
            b.instant(end, s.target, "syscall", pid, tid, "t", {"cycle": end, "vm": s.vm})

    waits: dict[int, tuple[int, str, str]] = {}           # tid -> (since, reason, id)
    calls: dict[int, list[tuple[int, str, int]]] = {}     # tid -> stack of (since, path, order)
    wait_count = 0

    def close_call(tid: int, pid: int, cycle: int, returned: bool) -> None:
        stack = calls[tid]
        since, path, order = stack.pop()
        caller_vm = _vm_of_path(stack[-1][1]) if stack else ""
        if not caller_vm:
            caller_vm = next((d for d, p in b.pids.items() if p == pid), "")
        callee_vm = _vm_of_path(path)
        args = {"from_vm": caller_vm, "to_vm": callee_vm, "cross_vm": bool(callee_vm) and callee_vm != caller_vm,
                "start_cycle": since, "cycles": cycle - since}
        if not returned:
            args["returned"] = False
        now, b.order = b.order, order          # the call's place is where it began
        b.complete(since, cycle, path, "call", pid, tid, args)
        b.order = now

    def close_wait(tid: int, pid: int, cycle: int, result: str) -> None:
        since, reason, ident = waits.pop(tid)
        b.emit(cycle, {"name": reason, "cat": "wait", "ph": "e", "id": ident, "pid": pid, "tid": tid,
                       "args": {"result": result, "cycles": cycle - since}})

    def end_task(tid: int, pid: int, cycle: int, why: str) -> None:
        if tid in waits:
            close_wait(tid, pid, cycle, why)
        while calls.get(tid):
            close_call(tid, pid, cycle, False)

    for index, (cycle, kind, who, detail) in enumerate(trace.events):
        b.order = 2 * index
        last = max(last, cycle)
        tid = b.tid_of(who)
        pid = b.task_pid[tid] if tid is not None else kernel_pid
        if kind == "switch":
            continue                      # the run slices show it
        if kind in ("boot", "halt"):
            if kind == "halt":
                for open_tid in sorted(set(waits) | {t for t, stack in calls.items() if stack}):
                    end_task(open_tid, b.task_pid[open_tid], cycle, "unreleased at halt")
            b.instant(cycle, kind if not detail else f"{kind} ({detail})", "kernel", kernel_pid, 0, "g",
                      {"cycle": cycle, "reason": detail} if detail else {"cycle": cycle})
        elif kind == "bind":
            bind_pid = b.pids.get(who, kernel_pid)
            b.instant(cycle, f"bind {detail}", "bind", bind_pid, 0, "p", {"vm": who, "path": detail})
        elif kind == "overflow":
            b.instant(cycle, f"overflow {who}", "overflow", kernel_pid, 0, "p",
                      {"where": who, "message": detail, "cycle": cycle})
        elif tid is None:
            b.instant(cycle, f"{kind} {who}".strip(), "kernel", kernel_pid, 0, "p",
                      {"who": who, "detail": detail, "cycle": cycle})
        elif kind == "wait":
            if tid in waits:
                close_wait(tid, pid, cycle, "superseded")
            wait_count += 1
            ident = f"wait{wait_count}"
            waits[tid] = (cycle, detail, ident)
            b.emit(cycle, {"name": detail, "cat": "wait", "ph": "b", "id": ident, "pid": pid, "tid": tid,
                           "args": {"reason": detail, "cycle": cycle}})
        elif kind == "release":
            if tid in waits:
                close_wait(tid, pid, cycle, detail)
        elif kind == "call":
            calls.setdefault(tid, []).append((cycle, detail, b.order))
        elif kind == "return":
            if calls.get(tid):
                close_call(tid, pid, cycle, True)
        elif kind == "interrupt":
            line = int(detail) if detail.lstrip("-").isdigit() else detail
            name = context.lines.get(line, str(line)) if isinstance(line, int) else str(line)
            b.instant(cycle, f"interrupt {name}", "interrupt", pid, tid, "t",
                      {"line": line, "line_name": name, "cycle": cycle})
        elif kind in ("exit", "fault"):
            end_task(tid, pid, cycle, kind)
            args = {"cycle": cycle}
            if kind == "fault":
                args["error"] = detail
            elif detail:
                args["code"] = int(detail) if detail.lstrip("-").isdigit() else detail
            b.instant(cycle, kind, "task", pid, tid, "t", args)
        else:                             # activate, and whatever kinds the kernel adds later
            b.instant(cycle, kind, "task", pid, tid, "t", {"detail": detail, "cycle": cycle} if detail else
                      {"cycle": cycle})

    b.order = 2 * len(trace.events)
    for open_tid in sorted(set(waits) | {t for t, stack in calls.items() if stack}):
        end_task(open_tid, b.task_pid[open_tid], last, "unreleased at end of trace")

    b.out.sort(key=lambda item: item[:3])
    other = {"clock_hz": context.clock_hz, "generator": "osvm", "time_unit": "us of simulated time"}
    other.update(context.metadata)
    return {"displayTimeUnit": DISPLAY_TIME_UNIT, "otherData": other,
            "traceEvents": b.metadata_events() + [event for _, _, _, event in b.out]}


def chrome_trace_of(kernel: Kernel, **metadata: Any) -> dict[str, Any]:
    """The Chrome trace of a kernel that ran with the trace enabled."""
    return chrome_trace(kernel.trace, context_of(kernel, **metadata))


def dumps(data: dict[str, Any]) -> str:
    """JSON text with sorted keys and one trace event per line (diff-friendly, byte-stable)."""
    head = {key: value for key, value in data.items() if key != "traceEvents"}
    lines = [json.dumps(event, sort_keys=True) for event in data.get("traceEvents", [])]
    body = json.dumps(head, sort_keys=True)[1:-1]
    return ("{" + body + (", " if body else "") + '"traceEvents": [\n' + ",\n".join(lines) + "\n]}\n")


def write_chrome_trace(path: str, data: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(dumps(data))
