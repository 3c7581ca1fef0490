"""Read a Chrome trace written by ``osvm run --trace`` back into rows per task (no plotting here)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

#: The fields every event of the Trace Event Format carries (``M`` metadata included, in our files).
REQUIRED_FIELDS = ("name", "ph", "ts", "pid", "tid")


class TraceFileError(ValueError):
    """The file is not a Chrome trace we can read; the message says why."""


@dataclass
class Row:
    """One task (a Chrome thread) and what happened on it, times in microseconds."""

    pid: int
    tid: int
    domain: str
    task: str
    order: tuple[int, int]
    slices: list[tuple[float, float, str]] = field(default_factory=list)        # (ts, dur, vm)
    run_cycles: int = 0
    waits: list[tuple[float, float, str, str]] = field(default_factory=list)    # (start, end, reason, result)
    interrupts: list[tuple[float, str]] = field(default_factory=list)           # (ts, line name)
    syscalls: int = 0
    calls: int = 0
    cross_vm_calls: int = 0
    faults: int = 0


@dataclass
class TraceModel:
    clock_hz: int
    other: dict[str, Any]
    rows: list[Row]
    domains: list[str]                  # in the file's process order
    end_us: float

    def cycles(self, us: float) -> int:
        return round(us * self.clock_hz / 1_000_000)


def validate_events(events: Any) -> list[str]:
    """Problems with the events against the format's required fields (empty: none)."""
    problems: list[str] = []
    if not isinstance(events, list):
        return ["traceEvents is not a list"]
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            problems.append(f"event {index} is not an object")
            continue
        missing = [key for key in REQUIRED_FIELDS if key not in event]
        if missing:
            problems.append(f"event {index} ({event.get('name', '?')}) lacks {', '.join(missing)}")
            continue
        ph = event["ph"]
        if ph == "X" and not (isinstance(event.get("dur"), int | float) and event["dur"] >= 0):
            problems.append(f"event {index} ({event['name']}): X needs a dur >= 0")
        if ph == "M" and not (isinstance(event.get("args"), dict) and "name" in event["args"]
                              or event["name"].endswith("_sort_index") or event["name"] == "process_labels"):
            problems.append(f"event {index}: metadata {event['name']} has no args.name")
        if ph in ("b", "e") and "id" not in event:
            problems.append(f"event {index} ({event['name']}): async event without id")
        if ph == "i" and event.get("s", "t") not in ("t", "p", "g"):
            problems.append(f"event {index} ({event['name']}): instant scope must be t, p or g")
    return problems


def load_chrome_trace(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise TraceFileError(f"{path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise TraceFileError(f"{path}: not JSON ({error})") from None
    if isinstance(data, list):
        data = {"traceEvents": data}
    if not isinstance(data, dict) or "traceEvents" not in data:
        raise TraceFileError(f"{path}: not a Chrome trace (no traceEvents)")
    problems = validate_events(data["traceEvents"])
    if problems:
        raise TraceFileError(f"{path}: " + "; ".join(problems[:3]))
    return data


def read_model(data: dict[str, Any]) -> TraceModel:
    """Rows per task from a Chrome trace (ours, or any with X events on named threads)."""
    other = data.get("otherData") or {}
    clock_hz = int(other.get("clock_hz") or 1_000_000)
    processes: dict[int, str] = {}
    process_order: dict[int, int] = {}
    threads: dict[tuple[int, int], str] = {}
    thread_order: dict[tuple[int, int], int] = {}
    events = data["traceEvents"]
    for event in events:
        if event["ph"] != "M":
            continue
        key = (event["pid"], event["tid"])
        args = event.get("args") or {}
        if event["name"] == "process_name":
            processes[event["pid"]] = str(args.get("name"))
        elif event["name"] == "process_sort_index":
            process_order[event["pid"]] = int(args.get("sort_index", 0))
        elif event["name"] == "thread_name":
            threads[key] = str(args.get("name"))
        elif event["name"] == "thread_sort_index":
            thread_order[key] = int(args.get("sort_index", 0))

    rows: dict[tuple[int, int], Row] = {}

    def row(pid: int, tid: int) -> Row:
        key = (pid, tid)
        found = rows.get(key)
        if found is None:
            found = rows[key] = Row(pid, tid, processes.get(pid, f"pid {pid}"), threads.get(key, f"tid {tid}"),
                                    (process_order.get(pid, pid), thread_order.get(key, tid)))
        return found

    for key in threads:
        if key[1] != 0:
            row(*key)
    opened: dict[Any, tuple[float, str]] = {}
    end = 0.0
    for event in events:
        ph, ts = event["ph"], float(event["ts"])
        if ph == "M":
            continue
        end = max(end, ts + float(event.get("dur", 0)))
        cat = event.get("cat", "")
        args = event.get("args") or {}
        if ph == "X" and cat == "run":
            target = row(event["pid"], event["tid"])
            target.slices.append((ts, float(event["dur"]), str(args.get("vm", target.domain))))
            target.run_cycles += int(args.get("cycles", round(float(event["dur"]) * clock_hz / 1_000_000)))
        elif ph == "X" and cat == "call":
            target = row(event["pid"], event["tid"])
            target.calls += 1
            target.cross_vm_calls += bool(args.get("cross_vm"))
        elif ph == "i" and cat == "syscall":
            row(event["pid"], event["tid"]).syscalls += 1
        elif ph == "i" and cat == "interrupt":
            row(event["pid"], event["tid"]).interrupts.append((ts, str(args.get("line_name", event["name"]))))
        elif ph == "i" and cat == "task" and event["name"] == "fault":
            row(event["pid"], event["tid"]).faults += 1
        elif ph == "b" and cat == "wait":
            opened[(event["pid"], event["tid"], event["id"])] = (ts, event["name"])
        elif ph == "e" and cat == "wait":
            start = opened.pop((event["pid"], event["tid"], event["id"]), None)
            if start is not None:
                row(event["pid"], event["tid"]).waits.append((start[0], ts, start[1], str(args.get("result", ""))))
    ordered = sorted(rows.values(), key=lambda r: r.order)
    domain_order = sorted(processes, key=lambda pid: process_order.get(pid, pid))
    return TraceModel(clock_hz, dict(other), ordered, [processes[pid] for pid in domain_order], end)
