"""The event trace: what happened at which cycle, for tests, reports and trace viewers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class TraceEvent(NamedTuple):
    cycle: int
    kind: str      # boot, switch, activate, exit, fault, wait, release, call, return, interrupt, ...
    who: str       # task (or kernel) the event belongs to
    detail: str


@dataclass
class Trace:
    """Appends events when enabled; costs one attribute test when not."""

    enabled: bool = False
    events: list[TraceEvent] = field(default_factory=list)

    def add(self, cycle: int, kind: str, who: str, detail: Any) -> None:
        if self.enabled:
            self.events.append(TraceEvent(cycle, kind, who, str(detail)))

    def to_jsonl(self) -> str:
        return "".join(json.dumps(event._asdict()) + "\n" for event in self.events)
