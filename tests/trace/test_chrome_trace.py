"""`osvm run --trace`: a Chrome trace (Trace Event Format) that viewers accept, and that tells the run."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from osvm_core.kernel.trace import RunSlice, Trace, TraceEvent
from osvm_core.system.build import build_system
from osvm_core.system.spec import read_system_file
from osvm_core.trace_export.chrome import TraceContext, chrome_trace, dumps
from osvm_core.trace_export.reader import validate_events

POLYGLOT = Path(__file__).resolve().parent / "system" / "system.toml"

REQUIRED = ("name", "ph", "ts", "pid", "tid")


def _load(path):
    data = json.loads(path.read_text())
    return data, data["traceEvents"]


def _threads(events):
    return {(e["pid"], e["tid"]): e["args"]["name"] for e in events
            if e["ph"] == "M" and e["name"] == "thread_name"}


def _processes(events):
    return {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}


def check_format(data):
    """The format's required fields and the rules viewers rely on; returns nothing, asserts."""
    assert isinstance(data, dict)
    assert data["displayTimeUnit"] in ("ms", "ns")
    events = data["traceEvents"]
    assert isinstance(events, list) and events
    for event in events:
        for key in REQUIRED:
            assert key in event, f"{event} lacks {key}"
        assert isinstance(event["name"], str) and isinstance(event["ph"], str)
        assert isinstance(event["ts"], int | float) and event["ts"] >= 0
        assert isinstance(event["pid"], int) and isinstance(event["tid"], int)
        assert event["ph"] in ("X", "i", "b", "e", "M"), event
        if event["ph"] == "X":
            assert isinstance(event["dur"], int | float) and event["dur"] >= 0, event
        if event["ph"] == "M":
            if event["name"] in ("process_name", "thread_name"):
                assert isinstance(event["args"]["name"], str) and event["args"]["name"]
            elif event["name"].endswith("_sort_index"):
                assert isinstance(event["args"]["sort_index"], int)
        if event["ph"] == "i":
            assert event["s"] in ("t", "p", "g")
        if event["ph"] in ("b", "e"):
            assert event["cat"] and event["id"]
    # X events: timestamps never go back on a thread, and slices nest (a call encloses its callee's runs)
    last: dict[tuple[int, int], float] = {}
    open_slices: dict[tuple[int, int], list[float]] = defaultdict(list)
    for event in events:
        if event["ph"] != "X":
            continue
        key = (event["pid"], event["tid"])
        assert event["ts"] >= last.get(key, 0), f"ts goes back on {key}: {event}"
        last[key] = event["ts"]
        stack = open_slices[key]
        while stack and stack[-1] <= event["ts"]:
            stack.pop()
        end = event["ts"] + event["dur"]
        assert not stack or end <= stack[-1], f"{event} overlaps its enclosing slice"
        stack.append(end)
    # every async begin has its end, same name and category, not earlier
    begins = {e["id"]: e for e in events if e["ph"] == "b"}
    ends = {e["id"]: e for e in events if e["ph"] == "e"}
    assert begins.keys() == ends.keys()
    for ident, begin in begins.items():
        end = ends[ident]
        assert (end["name"], end["cat"], end["pid"], end["tid"]) == \
               (begin["name"], begin["cat"], begin["pid"], begin["tid"])
        assert end["ts"] >= begin["ts"]
    assert validate_events(events) == []


def test_the_trace_file_is_valid_json_with_the_required_fields(polyglot_trace):
    path, _ = polyglot_trace
    data, events = _load(path)
    check_format(data)
    assert data["otherData"]["clock_hz"] == 1_000_000
    assert data["otherData"]["system"] == "polyglot" and data["otherData"]["halt"] == "finished"


def test_one_process_per_domain_and_one_thread_per_task(polyglot_trace):
    data, events = _load(polyglot_trace[0])
    processes = _processes(events)
    assert sorted(processes.values()) == ["app", "kernel", "lib"]
    threads = _threads(events)
    by_name = {name: processes[pid] for (pid, _), name in threads.items()}
    assert by_name == {"int.timer0": "kernel", "int.console0": "kernel", "watchdog": "app",
                       "producer": "app", "consumer": "app"}
    assert len(set(threads)) == len(threads)


def test_run_slices_for_the_example_tasks(polyglot_trace):
    _, events = _load(polyglot_trace[0])
    threads = _threads(events)
    runs = Counter(threads[(e["pid"], e["tid"])] for e in events if e["ph"] == "X" and e["cat"] == "run")
    for task in ("producer", "consumer", "watchdog", "int.timer0"):
        assert runs[task] > 0, f"no run slice for {task}"
    first = next(e for e in events if e["ph"] == "X" and threads[(e["pid"], e["tid"])] == "producer")
    assert first["name"] == "/mod/app/producer/main" and first["args"]["vm"] == "app"
    assert first["args"]["cycles"] == first["dur"]          # 1 MHz: a cycle is a microsecond


def test_interrupts_syscalls_waits_and_cross_vm_calls(polyglot_trace):
    _, events = _load(polyglot_trace[0])
    threads = _threads(events)

    def on(event):
        return threads.get((event["pid"], event["tid"]))

    interrupts = [e for e in events if e["ph"] == "i" and e["cat"] == "interrupt"]
    assert [e["name"] for e in interrupts] == ["interrupt timer0"] * 4
    assert [e["ts"] for e in interrupts] == [25_000, 50_000, 75_000, 100_000]
    assert {on(e) for e in interrupts} == {"int.timer0"}

    syscalls = Counter((on(e), e["name"]) for e in events if e["ph"] == "i" and e["cat"] == "syscall")
    assert syscalls[("producer", "/os/sem/wait")] == 6
    assert syscalls[("producer", "/os/port/send")] == 7
    assert syscalls[("consumer", "/os/port/receive")] == 7
    assert syscalls[("int.timer0", "/os/int/wait")] == 5

    calls = [e for e in events if e["ph"] == "X" and e["cat"] == "call"]
    assert len(calls) == 6
    for call in calls:
        assert call["name"] == "/mod/lib/checksum/adler32" and on(call) == "consumer"
        assert call["args"]["cross_vm"] is True
        assert (call["args"]["from_vm"], call["args"]["to_vm"]) == ("app", "lib")
        inside = [e for e in events if e["ph"] == "X" and e["cat"] == "run" and on(e) == "consumer"
                  and call["ts"] <= e["ts"] and e["ts"] + e["dur"] <= call["ts"] + call["dur"]]
        assert inside and {e["args"]["vm"] for e in inside} == {"lib"}

    waits = Counter((on(e), e["name"]) for e in events if e["ph"] == "b" and e["cat"] == "wait")
    assert waits[("consumer", "port jobs")] == 7
    assert waits[("watchdog", "port timer0")] == 4
    results = Counter(e["args"]["result"] for e in events if e["ph"] == "e")
    assert results["ok"] == 15 and results["unreleased at halt"] == 2

    exits = [on(e) for e in events if e["ph"] == "i" and e["name"] == "exit"]
    assert sorted(exits) == ["consumer", "producer", "watchdog"]
    assert [e["name"] for e in events if e["ph"] == "i" and e["s"] == "g"] == ["boot", "halt (finished)"]


def test_run_slices_account_for_every_cycle_the_kernel_charged(plugin_set):
    spec = read_system_file(str(POLYGLOT))
    system = build_system(spec, plugin_set, _registry(plugin_set), console_out=lambda data: None, trace=True)
    kernel = system.kernel
    kernel.run(max_cycles=spec.max_cycles)
    from osvm_core.kernel.kernel import SERVICE_CYCLES

    for task in kernel.tasks.values():
        mine = [s for s in kernel.trace.slices if s.task_id == task.id]
        syscalls = sum(s.outcome == "syscall" for s in mine)
        assert sum(s.used for s in mine) + SERVICE_CYCLES * syscalls == task.cycles, task.name
    # slices never overlap: one processor
    ordered = sorted((s.start, s.start + s.used) for s in kernel.trace.slices)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(ordered, ordered[1:], strict=False))
    assert sum(s.used for s in kernel.trace.slices if s.vm == "lib") == kernel.vm_cycles["lib"]


def test_without_the_trace_nothing_is_recorded(plugin_set):
    spec = read_system_file(str(POLYGLOT))
    system = build_system(spec, plugin_set, _registry(plugin_set), console_out=lambda data: None)
    system.kernel.run(max_cycles=spec.max_cycles)
    assert system.kernel.trace.events == [] and system.kernel.trace.slices == []


def test_two_runs_write_identical_trace_files(osvm, tmp_path):
    files = []
    for index in range(2):
        chrome, events = tmp_path / f"run{index}.json", tmp_path / f"run{index}.jsonl"
        result = osvm("run", POLYGLOT, "--trace", chrome, "--events", events)
        assert result.exit_code == 0
        files.append((chrome.read_bytes(), events.read_bytes()))
    assert files[0] == files[1]
    assert files[0][0].startswith(b'{"displayTimeUnit": "ms", "otherData": {')


def test_the_events_option_still_writes_json_lines(osvm, tmp_path):
    path = tmp_path / "events.jsonl"
    assert osvm("run", POLYGLOT, "--events", path).exit_code == 0
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert set(rows[0]) == {"cycle", "kind", "who", "detail"}
    assert rows[-1]["kind"] == "halt"


def test_timestamps_follow_the_board_clock():
    """At 3 MHz a cycle is a third of a microsecond; the exporter converts and stays valid."""
    trace = Trace(enabled=True)
    trace.events += [TraceEvent(0, "activate", "t", ""), TraceEvent(3, "wait", "t", "sleep"),
                     TraceEvent(10, "release", "t", "E_TMOUT"), TraceEvent(12, "exit", "t", "0"),
                     TraceEvent(12, "halt", "kernel", "finished")]
    trace.slices += [RunSlice(0, 1, 1, "t", "v", "v", "/mod/v/m/main", 1, "syscall", "/os/time/sleep", 1),
                     RunSlice(10, 2, 1, "t", "v", "v", "/mod/v/m/main", 1, "returned", "", 3)]
    data = chrome_trace(trace, TraceContext(clock_hz=3_000_000, domains=["kernel", "v"],
                                            tasks=[(1, "t", "v")]))
    check_format(json.loads(dumps(data)))
    events = {(e["ph"], e["name"]): e for e in data["traceEvents"]}
    assert events[("i", "/os/time/sleep")]["ts"] == 0.333
    assert events[("b", "sleep")]["ts"] == 1 and events[("e", "sleep")]["args"]["result"] == "E_TMOUT"
    assert events[("X", "/mod/v/m/main")]["ts"] == 3.333 and events[("X", "/mod/v/m/main")]["dur"] == 0.667
    assert data["otherData"]["clock_hz"] == 3_000_000


def _registry(plugins):
    from osvm_core.registry import build_registry

    return build_registry(plugins)
