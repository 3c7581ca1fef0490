"""A guest fault ends only its task, with a report naming the task and where; the rest runs on."""

from __future__ import annotations

import pytest

from osvm_core.errors import E_SYS, E_TMOUT
from osvm_core.hookspecs import hookimpl
from osvm_core.testing.scenario import system

FAULTY = """\
from osvm_vm_python.guest import export, sem, work, write


@export("func()")
def raises():
    yield work(100)
    raise ValueError("bad value")


@export("func()")
def garbage():
    yield work(100)
    yield 42


@export("func()")
def divides():
    yield work(100)
    return 1 // 0


@export("func()")
def uncaught():
    yield sem("s").poll()


@export("func(name: string)")
def healthy(name):
    for _ in range(5):
        yield work(500)
    yield write(f"{name} finished\\n")
    return 0
"""

#: Line numbers in FAULTY where each faulty task stops.
LINES = {"raises": 7, "garbage": 13, "divides": 19, "uncaught": 24}


class FaultWatcher:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str, int]] = []

    @hookimpl
    def osvm_fault(self, kernel, task, error):
        self.seen.append((task.name, str(error), kernel.board.now()))


def tasks(*specs: tuple[str, str, str]) -> str:
    return "".join(f"""
[[task]]
name = "{name}"
vm = "{vm}"
entry = "faulty/{entry}"
{'args = ["' + name + '"]' if entry == "healthy" else ""}
""" for name, vm, entry in specs)


@pytest.fixture
def faulty_system(scenario):
    watcher = FaultWatcher()
    s = scenario({"faulty.py": FAULTY}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        load = ["faulty.py"]

        [[vm]]
        name = "other"
        kind = "python"
        load = ["faulty.py"]

        [[semaphore]]
        name = "s"
    """ + tasks(("raises", "app", "raises"), ("garbage", "app", "garbage"), ("divides", "app", "divides"),
                ("uncaught", "app", "uncaught"), ("same-vm", "app", "healthy"),
                ("other-vm", "other", "healthy"))), plugins=(("watcher", watcher),))
    return s, watcher


def test_faults_end_only_their_own_tasks(faulty_system):
    s, _ = faulty_system
    assert s.run().reason == "finished"
    assert sorted(s.text.splitlines()) == ["other-vm finished", "same-vm finished"]
    for name in ("same-vm", "other-vm"):
        assert s.task(name).fault is None and s.task(name).exit_code == 0
    faulted = {task.name for task, _ in s.kernel.faults}
    assert faulted == {"raises", "garbage", "divides", "uncaught"}
    for name in faulted:
        task = s.task(name)
        assert task.state.value == "dormant" and task.fault is not None and task.exit_code is None


def test_each_fault_report_names_the_task_and_where(faulty_system):
    s, _ = faulty_system
    s.run()
    reports = {line.split("'")[1]: line for line in s.diagnostics}
    assert set(reports) == set(LINES)
    for name, line in LINES.items():
        report = reports[name]
        assert report.startswith(f"osvm: task '{name}' (vm app) faulted at cycle ")
        assert f"faulty.py:{line} in {name}" in report, report
    assert "ValueError: bad value" in reports["raises"]
    assert "ZeroDivisionError" in reports["divides"]
    assert "task yielded 42" in reports["garbage"]
    # an OS error the guest did not catch keeps its code in the fault
    assert "uncaught" in reports["uncaught"] and "E_TMOUT" in reports["uncaught"]
    assert s.task("uncaught").fault.code == E_TMOUT
    assert s.task("raises").fault.code == E_SYS


def test_the_fault_hook_sees_every_fault_when_it_happens(faulty_system):
    s, watcher = faulty_system
    s.run()
    assert sorted(name for name, _, _ in watcher.seen) == sorted(LINES)
    by_name = {name: (text, cycle) for name, text, cycle in watcher.seen}
    for task, error in s.kernel.faults:
        assert by_name[task.name][0] == str(error)
        assert by_name[task.name][1] == task.ended_at
