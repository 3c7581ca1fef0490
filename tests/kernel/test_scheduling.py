"""The two schedulers: the OS round-robin over VM domains (shares) and the policy inside a domain."""

from __future__ import annotations

import pytest

from osvm_core.testing.scenario import system

SPIN = """
from osvm_vm_python.guest import export, work

@export("func()")
def spin():
    while True:
        yield work(100)
"""


@pytest.mark.parametrize(("quantum", "shares"), [(2000, (1, 3)), (500, (1, 3)), (2000, (2, 1))])
def test_cpu_bound_domains_split_the_processor_by_their_shares(scenario, quantum, shares):
    a, b = shares
    s = scenario({"spin.py": SPIN}, system(f"""
        [[vm]]
        name = "a"
        kind = "python"
        share = {a}
        load = ["spin.py"]

        [[vm]]
        name = "b"
        kind = "python"
        share = {b}
        load = ["spin.py"]

        [[task]]
        name = "ta"
        vm = "a"
        entry = "spin/spin"

        [[task]]
        name = "tb"
        vm = "b"
        entry = "spin/spin"
    """, quantum=quantum))
    report = s.run(max_cycles=400_000)
    assert report.reason == "max-cycles" and report.cycles == 400_000
    ta, tb = s.task("ta"), s.task("tb")
    assert ta.cycles + tb.cycles > 399_000          # no idle time: the two spinners used it all
    ratio = tb.cycles / ta.cycles
    assert ratio == pytest.approx(b / a, rel=0.05)
    assert s.kernel.domain_of("a").cycles == ta.cycles and s.kernel.domain_of("b").cycles == tb.cycles
    # the turns alternate: b's domain gets one turn per turn of a
    assert abs(s.kernel.domain_of("a").turns - s.kernel.domain_of("b").turns) <= 1


def test_an_infinite_loop_never_stops_the_others(scenario):
    guest = """
        from osvm_vm_python.guest import export, now, work, write

        @export("func()")
        def spin():
            while True:
                yield work(100)

        @export("func(name: string)")
        def finite(name):
            for _ in range(20):
                yield work(1000)
            t = yield now()
            yield write(f"{name} done at {t}\\n")
            return 0
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "a"
        kind = "python"
        scheduler = "round-robin"
        load = ["g.py"]

        [[vm]]
        name = "b"
        kind = "python"
        load = ["g.py"]

        [[task]]
        name = "spinner"
        vm = "a"
        entry = "g/spin"

        [[task]]
        name = "same-domain"
        vm = "a"
        entry = "g/finite"
        args = ["same-domain"]

        [[task]]
        name = "other-domain"
        vm = "b"
        entry = "g/finite"
        args = ["other-domain"]
    """))
    report = s.run(max_cycles=200_000)
    assert report.reason == "max-cycles"       # the spinner never ends, so the system runs on
    lines = s.text.splitlines()
    assert sorted(line.split()[0] for line in lines) == ["other-domain", "same-domain"]
    for name in ("same-domain", "other-domain"):
        task = s.task(name)
        assert task.state.value == "dormant" and task.exit_code == 0 and task.fault is None
    # same-domain shares domain a's half with the spinner: it needs about twice as long
    done = {line.split()[0]: int(line.split()[-1]) for line in lines}
    assert done["other-domain"] < done["same-domain"] < 100_000
    spinner = s.task("spinner")
    assert spinner.state.value in ("ready", "running") and spinner.cycles > 100_000


def test_round_robin_slices_alternate_tasks_of_one_domain(scenario):
    guest = """
        from osvm_vm_python.guest import export, work
        from scenario import cp

        @export("func(name: string)")
        def worker(name):
            for _ in range(4):
                yield work(250)
                yield from cp(name)
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "a"
        kind = "python"
        scheduler = "round-robin"
        scheduler_options = { slice = 500 }
        load = ["g.py"]

        [[task]]
        name = "x"
        vm = "a"
        entry = "g/worker"
        args = ["x"]

        [[task]]
        name = "y"
        vm = "a"
        entry = "g/worker"
        args = ["y"]
    """), trace=True)
    assert s.run().reason == "finished"
    # a 500-cycle slice holds one work(250) with its cp and most of the next: that one ends
    # in the task's next slice, so after the first slice each slice records two check points
    assert "".join(p[0] for p in s.points) == "xyxxyyxy"
    switches = [e for e in s.kernel.trace.events if e.kind == "switch" and e.who in "xy"]
    assert [e.who for e in switches] == ["x", "y", "x", "y", "x", "y"]
    for before, after in zip(switches[:4], switches[1:5], strict=True):
        # the policy counts the cycles its task ran; the services it called come on top
        assert 500 <= after.cycle - before.cycle <= 500 + 2 * 20


def test_priority_policy_runs_the_most_urgent_ready_task_fifo_within_a_level(scenario):
    guest = """
        from osvm_vm_python.guest import export, work
        from scenario import note

        @export("func(name: string)")
        def worker(name):
            yield work(100)
            note(name)
    """
    tasks = "".join(f"""
        [[task]]
        name = "{name}"
        vm = "a"
        entry = "g/worker"
        priority = {priority}
        args = ["{name}"]
    """ for name, priority in [("c3", 3), ("a1", 1), ("b2", 2), ("d1", 1), ("e3", 3)])
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "a"
        kind = "python"
        scheduler = "priority"
        load = ["g.py"]
    """ + tasks))
    assert s.run().reason == "finished"
    assert [p[0] for p in s.points] == ["a1", "d1", "b2", "c3", "e3"]
