"""The stride policy: the contract, proportional shares, no credit for waiting, whole systems."""

from __future__ import annotations

from collections import Counter

import pytest

import osvm_sched_stride.plugin
from osvm_core.errors import ParameterError
from osvm_core.testing.conformance import FakeTask, PolicyContract
from osvm_core.testing.scenario import build_scenario, system
from osvm_sched_stride import Stride


class TestStrideContract(PolicyContract):
    @staticmethod
    def make():
        return Stride()


def run_quanta(policy: Stride, quanta: int, quantum: int = 1000) -> Counter:
    """Dispatch ``quanta`` whole quanta as the kernel would: pick, then tick the cycles it ran."""
    runs: Counter = Counter()
    for _ in range(quanta):
        task = policy.pick()
        runs[task.name] += 1
        assert policy.remaining(task) == quantum
        assert policy.tick(task, quantum) is True
    return runs


def test_quanta_go_in_proportion_to_tickets():
    policy = Stride({"quantum": 1000})
    tasks = [FakeTask(i, name=n, attrs={"tickets": t}) for i, (n, t) in enumerate([("a", 300), ("b", 200),
                                                                                     ("c", 100)], 1)]
    for task in tasks:
        policy.ready(task)
    assert run_quanta(policy, 600) == {"a": 300, "b": 200, "c": 100}
    stats = policy.stats()
    assert stats["max share error"] < 0.001
    assert stats["share a"] == "50.0% for 300 tickets (50.0%)"


def test_a_task_that_waits_gains_no_credit():
    policy = Stride({"quantum": 1000})
    a, b = FakeTask(1, name="a"), FakeTask(2, name="b")
    policy.ready(a)
    policy.ready(b)
    run_quanta(policy, 10)
    policy.blocked(b)                     # b waits while a runs alone for 50 quanta...
    assert run_quanta(policy, 50) == {"a": 50}
    policy.ready(b)                       # ...and comes back level with a, not 50 quanta ahead
    assert run_quanta(policy, 20) == {"a": 10, "b": 10}


def test_cycles_run_just_before_a_wait_are_charged():
    policy = Stride({"quantum": 1000})
    a, b = FakeTask(1, name="a"), FakeTask(2, name="b")
    policy.ready(a)
    policy.ready(b)
    first = policy.pick()
    policy.blocked(first)                 # the kernel reports the block before the cycles of that dispatch
    policy.tick(first, 900)
    policy.ready(first)
    other = policy.pick()
    assert other is not first             # first's 900 cycles count: the other task goes next


def test_default_tickets_option_and_bad_values():
    policy = Stride({"tickets": 10})
    policy.ready(FakeTask(1, name="x"))
    assert policy.clients[1].tickets == 10
    with pytest.raises(ParameterError, match="tickets"):
        policy.ready(FakeTask(2, name="y", attrs={"tickets": 0}))
    with pytest.raises(ParameterError, match="unknown options"):
        Stride({"slice": 5})
    with pytest.raises(ParameterError, match="quantum"):
        Stride({"quantum": -1})


SPIN = """
from osvm_vm_python.guest import export, work

@export("func()")
def spin():
    while True:
        yield work(100)
"""


def spinners(tmp_path, tickets: dict[str, int], quantum: int = 1000):
    body = f"""
        [[vm]]
        name = "s"
        kind = "python"
        scheduler = "stride"
        scheduler_options = {{ quantum = {quantum} }}
        load = ["spin.py"]
    """
    for name, count in tickets.items():
        body += f"""
        [[task]]
        name = "{name}"
        vm = "s"
        entry = "spin/spin"
        attrs = {{ tickets = {count} }}
        """
    return build_scenario(tmp_path, {"spin.py": SPIN}, system(body),
                          plugins=(("sched-stride", osvm_sched_stride.plugin),))


def test_shares_stay_within_two_percent_of_the_tickets_over_100_quanta(tmp_path):
    tickets = {"a": 50, "b": 30, "c": 20}
    s = spinners(tmp_path, tickets)
    assert s.run(max_cycles=100 * 1000).reason == "max-cycles"
    total = sum(s.task(name).cycles for name in tickets)
    assert total >= 99_000
    for name, count in tickets.items():
        assert s.task(name).cycles / total == pytest.approx(count / 100, abs=0.02), name
    stats = s.kernel.domain_of("s").policy.stats()
    assert stats["max share error"] <= 0.02

    from osvm_core.cli.report import stats_report

    report = stats_report(s.kernel)
    assert "max share error" in report and "share a" in report


def test_plugin_registers_stride():
    from osvm_core.plugins import load_plugins
    from osvm_core.registry import build_registry

    plugins = load_plugins(entry_points=False, extra=(("sched-stride", osvm_sched_stride.plugin),))
    assert isinstance(build_registry(plugins).create("scheduler", "stride", {}), Stride)
