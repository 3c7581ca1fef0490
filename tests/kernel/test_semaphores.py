"""Semaphores through the kernel: μITRON wai_sem/pol_sem/twai_sem/sig_sem/del_sem scenarios.

Cycle model used for the expected check points (see ``osvm_core.testing.scenario``):
booting costs BOOT (the virt board's two interrupt tasks each make their first
``int/wait`` call); each resume of a Python task runs to its next ``yield`` for one
step (STEP = 10 cycles; creating the generator is free); every system call costs
SERVICE = 20 cycles charged before the service runs; ``cp`` records the time seen by
its ``now()`` call, i.e. after that call's service charge. So one system call of a
task is CALL = STEP + SERVICE, and a task's last resume, which returns, is END = STEP.
"""

from __future__ import annotations

import pytest

from osvm_core.errors import E_DLT, E_NOEXS, E_QOVR, E_TMOUT
from osvm_core.kernel.kernel import SERVICE_CYCLES as SERVICE
from osvm_core.testing.scenario import system
from osvm_vm_python.vm import STEP_CYCLES as STEP

BOOT = 2 * SERVICE              # the virt board's two interrupt tasks start waiting for their lines
CALL = STEP + SERVICE            # one system call: the Python VM's step to the yield + the service
END = STEP                      # the last resume of a task, that returns from its entry


def test_cycle_constants_are_the_model_these_tests_assume():
    assert (STEP, SERVICE) == (10, 20)


def test_wait_then_signal_wakes_the_higher_priority_waiter_at_once(scenario):
    guest = """
        from osvm_vm_python.guest import export, sem
        from scenario import cp

        @export("func()")
        def a():
            yield from cp(1)
            yield sem("s").wait()
            yield from cp(3)

        @export("func()")
        def b():
            yield from cp(2)
            yield sem("s").signal()
            yield from cp(4)
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        scheduler = "priority"
        load = ["g.py"]

        [[semaphore]]
        name = "s"
        count = 0
        max = 1

        [[task]]
        name = "a"
        vm = "app"
        entry = "g/a"
        priority = 1

        [[task]]
        name = "b"
        vm = "app"
        entry = "g/b"
        priority = 2
    """))
    report = s.run()
    assert report.reason == "finished"
    a_waits = BOOT + 2 * CALL                    # a: cp(1), then it waits from here
    b_signals = a_waits + 2 * CALL               # b: cp(2), then signal: a is released and preempts b
    a_ends = b_signals + CALL + END              # a: cp(3), then returns
    assert s.points == [(1, BOOT + CALL), (2, a_waits + CALL), (3, b_signals + CALL), (4, a_ends + CALL)]
    assert s.points == [(1, 70), (2, 130), (3, 190), (4, 230)]
    assert s.kernel.objects.get("sem", "s").count == 0


def test_poll_on_an_empty_semaphore_is_e_tmout_and_takes_when_available(scenario):
    guest = """
        from osvm_core.errors import Timeout
        from osvm_vm_python.guest import export, sem
        from scenario import cp, note

        @export("func()")
        def main():
            s = sem("s")
            try:
                yield s.poll()
            except Timeout as error:
                note("poll", error.code)
            yield s.signal()
            yield s.poll()
            note("poll", 0)
            count = yield s.count()
            note("count", count)
            try:
                yield s.wait(0)            # TMO_POL through wait: the same as poll
            except Timeout as error:
                note("wait0", error.code)
            yield from cp("end")
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        load = ["g.py"]

        [[semaphore]]
        name = "s"
        max = 2

        [[task]]
        vm = "app"
        entry = "g/main"
    """))
    assert s.run().reason == "finished"
    # five calls before cp(end): poll, signal, poll, count, wait(0) -- a poll never blocks
    assert s.points == [("poll", E_TMOUT), ("poll", 0), ("count", 0), ("wait0", E_TMOUT),
                        ("end", BOOT + 6 * CALL)]
    assert E_TMOUT == -50


def test_timed_wait_times_out_at_exactly_the_timeout(scenario):
    guest = """
        from osvm_core.errors import Timeout
        from osvm_vm_python.guest import export, sem
        from scenario import cp, note

        @export("func()")
        def main():
            yield from cp("before")
            try:
                yield sem("s").wait(500)
            except Timeout as error:
                note("timeout", error.code)
            yield from cp("after")
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        load = ["g.py"]

        [[semaphore]]
        name = "s"

        [[task]]
        vm = "app"
        entry = "g/main"
    """))
    assert s.run().reason == "finished"
    waited_at = BOOT + 2 * CALL      # the wait's service has been charged: the timeout counts from here
    assert s.points == [("before", BOOT + CALL), ("timeout", E_TMOUT), ("after", waited_at + 500 + CALL)]
    assert s.kernel.idle_cycles == 500
    task = s.task("g")
    assert task.waits == 1 and task.wait_cycles == 500


def test_timed_wait_signalled_before_the_timeout_succeeds_and_the_timer_is_cancelled(scenario):
    guest = """
        from osvm_vm_python.guest import delay, export, sem
        from scenario import cp, note

        @export("func()")
        def waiter():
            yield sem("s").wait(1000)
            yield from cp("woken")

        @export("func()")
        def signaller():
            yield delay(300)
            yield from cp("signal")
            yield sem("s").signal()
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        scheduler = "priority"
        load = ["g.py"]

        [[semaphore]]
        name = "s"

        [[task]]
        name = "waiter"
        vm = "app"
        entry = "g/waiter"
        priority = 1

        [[task]]
        name = "signaller"
        vm = "app"
        entry = "g/signaller"
        priority = 2
    """))
    assert s.run().reason == "finished"
    # the waiter waits from 70; the signaller delays from 100 until 400, cp at 430, signals at 460
    delay_ends = BOOT + 2 * CALL + 300
    assert s.points == [("signal", delay_ends + CALL), ("woken", delay_ends + 3 * CALL)]
    assert s.points == [("signal", 430), ("woken", 490)]
    assert len(s.kernel.timers) == 0          # no stale timeout left behind
    assert s.kernel.board.now() < 1000


def test_signal_past_the_maximum_is_e_qovr_and_leaves_the_count(scenario):
    guest = """
        from osvm_core.errors import QueueOverflow
        from osvm_vm_python.guest import export, sem
        from scenario import note

        @export("func()")
        def main():
            s = sem("s")
            yield s.signal()
            yield s.signal()
            try:
                yield s.signal()
            except QueueOverflow as error:
                note("qovr", error.code)
            count = yield s.count()
            note("count", count)
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        load = ["g.py"]

        [[semaphore]]
        name = "s"
        count = 1
        max = 3

        [[task]]
        vm = "app"
        entry = "g/main"
    """))
    assert s.run().reason == "finished"
    assert s.points == [("qovr", E_QOVR), ("count", 3)]
    assert E_QOVR == -43


def test_delete_releases_every_waiter_with_e_dlt_in_queue_order(scenario):
    guest = """
        from osvm_core.errors import Deleted, NoSuchObject
        from osvm_vm_python.guest import export, sem
        from scenario import cp, note

        @export("func(name: string)")
        def waiter(name):
            try:
                yield sem("s").wait()
            except Deleted as error:
                note(name, error.code)
                yield from cp(name)

        @export("func()")
        def deleter():
            yield sem("s").delete()
            try:
                yield sem("s").signal()
            except NoSuchObject as error:
                note("gone", error.code)
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        load = ["g.py"]

        [[semaphore]]
        name = "s"

        [[task]]
        name = "w1"
        vm = "app"
        entry = "g/waiter"
        args = ["w1"]

        [[task]]
        name = "w2"
        vm = "app"
        entry = "g/waiter"
        args = ["w2"]

        [[task]]
        name = "w3"
        vm = "app"
        entry = "g/waiter"
        args = ["w3"]

        [[task]]
        name = "deleter"
        vm = "app"
        entry = "g/deleter"
    """))
    assert s.run().reason == "finished"
    deleted_at = BOOT + 4 * CALL            # three waits and the delete
    deleter_ends = deleted_at + CALL + END  # the deleter keeps running: it is at the head (round-robin)
    w1 = deleter_ends + CALL
    assert s.points == [
        ("gone", E_NOEXS),
        ("w1", E_DLT), ("w1", w1),
        ("w2", E_DLT), ("w2", w1 + END + CALL),
        ("w3", E_DLT), ("w3", w1 + 2 * (END + CALL)),
    ]
    assert E_DLT == -51


@pytest.mark.parametrize(("order", "released"), [
    ("fifo", ["w3", "w1", "w2"]),          # arrival order
    ("priority", ["w1", "w2", "w3"]),      # priority order, whatever the arrival
])
def test_wait_queue_order_fifo_versus_priority(scenario, order, released):
    guest = """
        from osvm_vm_python.guest import delay, export, sem
        from scenario import note

        @export("func(name: string, after: s64)")
        def waiter(name, after):
            yield delay(after)
            note("waits", name)
            yield sem("s").wait()
            note("released", name)

        @export("func()")
        def signaller():
            yield delay(1000)
            for _ in range(3):
                yield sem("s").signal()
    """
    s = scenario({"g.py": guest}, system(f"""
        [[vm]]
        name = "app"
        kind = "python"
        scheduler = "priority"
        load = ["g.py"]

        [[semaphore]]
        name = "s"
        max = 3
        order = "{order}"

        [[task]]
        name = "w3"
        vm = "app"
        entry = "g/waiter"
        priority = 3
        args = ["w3", 100]

        [[task]]
        name = "w1"
        vm = "app"
        entry = "g/waiter"
        priority = 1
        args = ["w1", 200]

        [[task]]
        name = "w2"
        vm = "app"
        entry = "g/waiter"
        priority = 2
        args = ["w2", 300]

        [[task]]
        name = "signaller"
        vm = "app"
        entry = "g/signaller"
        priority = 4
    """))
    assert s.run().reason == "finished"
    assert s.points[:3] == [("waits", "w3"), ("waits", "w1"), ("waits", "w2")]
    assert s.points[3:] == [("released", name) for name in released]


def test_binary_semaphore_is_a_lock_across_preemption(scenario):
    guest = """
        from osvm_core.errors import QueueOverflow
        from osvm_vm_python.guest import delay, export, sem, work
        from scenario import cp, note

        @export("func(name: string)")
        def worker(name):
            lock = sem("lock")
            for _ in range(3):
                yield lock.wait()
                yield from cp(("enter", name))
                yield work(450)           # longer than the 100-cycle slice: preempted inside
                yield from cp(("leave", name))
                yield lock.signal()

        @export("func()")
        def probe():
            yield delay(100_000)          # long after both workers are done: the lock is free
            try:
                yield sem("lock").signal()
            except QueueOverflow as error:
                note("qovr", error.code)
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        scheduler = "round-robin"
        scheduler_options = { slice = 100 }
        load = ["g.py"]

        [[semaphore]]
        name = "lock"
        count = 1
        max = 1

        [[task]]
        name = "a"
        vm = "app"
        entry = "g/worker"
        args = ["a"]

        [[task]]
        name = "b"
        vm = "app"
        entry = "g/worker"
        args = ["b"]

        [[task]]
        name = "probe"
        vm = "app"
        entry = "g/probe"
    """))
    assert s.run().reason == "finished"
    sections = [p for p in s.points if p[0] != "qovr"]
    assert [what for what, _ in sections] == [
        ("enter", "a"), ("leave", "a"), ("enter", "b"), ("leave", "b"),
        ("enter", "a"), ("leave", "a"), ("enter", "b"), ("leave", "b"),
        ("enter", "a"), ("leave", "a"), ("enter", "b"), ("leave", "b"),
    ]   # never two inside at once, and the FIFO queue hands the lock over at each release
    for (_, entered), (_, left) in zip(sections[::2], sections[1::2], strict=True):
        assert left - entered >= 450 + CALL
    for (_, left), (_, entered) in zip(sections[1::2], sections[2::2], strict=False):
        assert entered > left
    assert s.points[-1] == ("qovr", E_QOVR)
    assert s.kernel.objects.get("sem", "lock").count == 1
