"""The event trace: what happened at which cycle, for tests, reports and trace viewers.

Two streams, both empty unless the trace is enabled:

- ``events``: one ``TraceEvent`` per kernel event (boot, switch, activate, exit,
  fault, wait, release, call, return, interrupt, overflow, bind, halt); the
  ``--events`` JSON lines.
- ``slices``: one ``RunSlice`` per dispatch (which task ran in which VM, from
  which cycle, for how many cycles, and how it stopped, system calls included).
  ``osvm_core.trace_export.chrome`` turns both into a Chrome trace.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..names.tree import EntryKind


class TraceEvent(NamedTuple):
    cycle: int
    kind: str      # boot, switch, activate, exit, fault, wait, release, call, return, interrupt, ...
    who: str       # task (or kernel) the event belongs to
    detail: str


class RunSlice(NamedTuple):
    """One dispatch: ``task`` ran its top frame in VM ``vm`` from ``start`` for ``used`` cycles."""

    start: int
    used: int
    task_id: int
    task: str
    domain: str    # the task's scheduling domain (its own VM, or "kernel")
    vm: str        # the VM that executed the frame (another VM's during a cross-VM call)
    entry: str     # path of the frame's entry ("" for kernel-internal frames)
    depth: int     # frames on the task's stack (1: its own entry; more: inside calls)
    outcome: str   # preempted | syscall | call | returned | exited | fault
    target: str    # the called path for syscall and call, else ""
    order: int     # how many events were recorded before this slice (merges the two streams)


_OUTCOMES = {"Preempted": "preempted", "Call": "call", "Returned": "returned", "Exited": "exited",
             "Fault": "fault"}


@dataclass
class Trace:
    """Appends events when enabled; costs one attribute test when not."""

    enabled: bool = False
    events: list[TraceEvent] = field(default_factory=list)
    slices: list[RunSlice] = field(default_factory=list)

    def add(self, cycle: int, kind: str, who: str, detail: Any) -> None:
        if self.enabled:
            self.events.append(TraceEvent(cycle, kind, who, str(detail)))

    def ran(self, end: int, task: Any, frame: Any, event: Any) -> None:
        """Record a dispatch that ended at cycle ``end`` with ``event`` (called by the dispatch loop)."""
        used = event.used
        name = type(event).__name__
        outcome = _OUTCOMES.get(name, name.lower())
        target = ""
        if outcome == "call":
            entry = event.target.entry
            target = entry.path
            if entry.kind is EntryKind.SERVICE:
                outcome = "syscall"
        entry = frame.entry
        self.slices.append(RunSlice(end - used, used, task.id, task.name, task.domain.name, frame.vm.name,
                                    entry.path if entry is not None else "", len(task.frames), outcome,
                                    target, len(self.events)))

    def to_jsonl(self) -> str:
        return "".join(json.dumps(event._asdict()) + "\n" for event in self.events)
