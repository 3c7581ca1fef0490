"""Deadlock detection: when nothing can ever run again, the kernel halts and says who waits on what."""

from __future__ import annotations

from osvm_core.kernel.kernel import SERVICE_CYCLES as SERVICE
from osvm_core.testing.scenario import system
from osvm_vm_python.vm import STEP_CYCLES as STEP

BOOT = 2 * SERVICE
CALL = STEP + SERVICE

CROSSED = """
from osvm_vm_python.guest import delay, export, sem

@export("func(mine: string, theirs: string)")
def grab(mine, theirs):
    yield sem(mine).wait()
    yield delay(100)              # the other task takes its own semaphore meanwhile
    yield sem(theirs).wait()
    yield sem(theirs).signal()
    yield sem(mine).signal()
"""

SYSTEM = """
[[vm]]
name = "app"
kind = "python"
load = ["g.py"]

[[semaphore]]
name = "s1"
count = 1

[[semaphore]]
name = "s2"
count = 1

[[task]]
name = "left"
vm = "app"
entry = "g/grab"
args = ["s1", "s2"]

[[task]]
name = "right"
vm = "app"
entry = "g/grab"
args = ["s2", "s1"]
"""


def test_two_tasks_waiting_on_each_others_semaphores_halt_with_deadlock(scenario):
    s = scenario({"g.py": CROSSED}, system(SYSTEM))
    report = s.run()
    assert report.reason == "deadlock"
    # left: wait s1, delay until BOOT + 2 CALL + 100; right: wait s2, delay until 2 CALL later
    left_waits = BOOT + 2 * CALL + 100 + CALL
    right_waits = left_waits + 2 * CALL
    assert report.detail == [
        f"task 'left' waits on sem s2 since cycle {left_waits}",
        f"task 'right' waits on sem s1 since cycle {right_waits}",
    ]
    assert report.cycles == right_waits == s.kernel.board.now()
    assert s.kernel.halted is report


def test_a_timer_that_keeps_ticking_does_not_hide_the_deadlock(scenario):
    s = scenario({"g.py": CROSSED}, system(SYSTEM, timer_period=1000))
    report = s.run(max_cycles=1_000_000)
    assert report.reason == "deadlock"
    assert report.cycles < 1000        # nobody listens to the timer: no reason to wait for it
    assert [line.split("'")[1] for line in report.detail] == ["left", "right"]


def test_a_waiter_with_a_timeout_is_not_a_deadlock(scenario):
    guest = """
        from osvm_core.errors import Timeout
        from osvm_vm_python.guest import export, sem
        from scenario import note

        @export("func()")
        def main():
            try:
                yield sem("s1").wait(5000)
            except Timeout:
                note("timed out")
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        load = ["g.py"]

        [[semaphore]]
        name = "s1"

        [[task]]
        vm = "app"
        entry = "g/main"
    """))
    assert s.run().reason == "finished"
    assert s.points == [("timed out",)]


def test_a_suspended_task_nobody_can_resume_is_named(scenario):
    guest = """
        from osvm_vm_python.guest import export, self_task

        @export("func()")
        def main():
            me = yield self_task()
            yield me.suspend()
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        load = ["g.py"]

        [[task]]
        name = "lonely"
        vm = "app"
        entry = "g/main"
    """))
    report = s.run()
    assert report.reason == "deadlock"
    assert report.detail == ["task 'lonely' is suspended"]
