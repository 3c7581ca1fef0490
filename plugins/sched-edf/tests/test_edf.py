"""The edf policy: the contract, its order, its job accounting, and EDF against rate-monotonic."""

from __future__ import annotations

from pathlib import Path

import pytest

import osvm_sched_edf.plugin
from osvm_core.errors import ParameterError
from osvm_core.testing.conformance import FakeTask, PolicyContract
from osvm_core.testing.jobs import all_jobs, count_misses
from osvm_core.testing.scenario import build_scenario, system
from osvm_sched_edf import EarliestDeadlineFirst


class TestEdfContract(PolicyContract):
    @staticmethod
    def make():
        return EarliestDeadlineFirst()


class Clock:
    def __init__(self) -> None:
        self.cycle = 0

    def __call__(self) -> int:
        return self.cycle


def attached(**options):
    policy = EarliestDeadlineFirst(options)
    clock = Clock()
    policy.attach(clock)
    return policy, clock


def test_earliest_absolute_deadline_first_fifo_among_equals_background_last():
    policy, clock = attached()
    background = FakeTask(1, name="bg")
    late = FakeTask(2, name="late", attrs={"deadline": 9000})
    soon = FakeTask(3, name="soon", attrs={"deadline": 3000})
    equal = FakeTask(4, name="equal", attrs={"deadline": 3000})
    for task in (background, late, soon, equal):
        policy.ready(task)
    order = []
    while (task := policy.pick()) is not None:
        order.append(task.name)
        policy.blocked(task)
    assert order == ["soon", "equal", "late", "bg"]
    clock.cycle = 5000                       # a sporadic job released now: deadline 5000 + 3000
    policy.ready(soon)
    policy.ready(late)                        # 5000 + 9000
    assert policy.pick() is soon


def test_rotate_goes_behind_equal_deadlines_and_priorities_do_not_matter():
    policy, _ = attached()
    a, b = FakeTask(1, priority=5, name="a", attrs={"deadline": 100}), FakeTask(2, priority=1, name="b",
                                                                                attrs={"deadline": 100})
    policy.ready(a)
    policy.ready(b)
    assert policy.pick() is a
    policy.rotate(a)
    assert policy.pick() is b
    policy.reprioritized(b, 1)
    assert policy.pick() is b


def test_background_tasks_share_by_slices():
    policy, _ = attached(slice=300)
    x, y = FakeTask(1, name="x"), FakeTask(2, name="y")
    policy.ready(x)
    policy.ready(y)
    assert policy.remaining(x) == 300
    assert policy.tick(x, 200) is False and policy.remaining(x) == 100
    assert policy.tick(x, 100) is True
    assert policy.pick() is y


def test_periodic_job_accounting_counts_late_jobs_and_overdue_ones():
    policy, clock = attached()
    task = FakeTask(1, name="p", attrs={"period": 1000, "deadline": 600, "wcet": 500})
    policy.ready(task)                        # job 0: release 0, deadline 600
    clock.cycle = 500
    policy.blocked(task)                      # ends in time
    clock.cycle = 1000
    policy.ready(task)                        # job 1: release 1000, deadline 1600
    clock.cycle = 1200
    policy.blocked(task)                      # waits in the middle of the job...
    clock.cycle = 1300
    policy.ready(task)                        # ...and goes on before its next release: same job
    clock.cycle = 1700
    policy.blocked(task)                      # ends late
    clock.cycle = 2000
    policy.ready(task)                        # job 2: release 2000, deadline 2600, still running at 2900
    clock.cycle = 2900
    stats = policy.stats()
    assert stats["jobs"] == 2 and stats["deadline misses"] == 2
    assert stats["misses p"] == "2 of 2 jobs" and stats["worst response p"] == 700
    assert stats["utilisation (wcet/period)"] == 0.5
    clock.cycle = 3700                        # job 3 (release 3000) is overdue too, before it could begin
    assert policy.stats()["deadline misses"] == 3
    policy.exited(task)
    assert policy.stats()["deadline misses"] == 2 and policy.stats()["jobs"] == 3


def test_bad_attributes_and_options_are_refused():
    policy, _ = attached()
    with pytest.raises(ParameterError, match="period"):
        policy.ready(FakeTask(1, name="t", attrs={"period": -5}))
    with pytest.raises(ParameterError, match="unknown options"):
        EarliestDeadlineFirst({"quantum": 3})
    with pytest.raises(ParameterError, match="slice"):
        EarliestDeadlineFirst({"slice": 0})


# ---------------------------------------------------------------- whole systems
PERIODIC = """
from osvm_vm_python.guest import delay_until, export, work

@export("func(period: s64, wcet: s64)")
def periodic(period, wcet):
    # every task is activated at cycle 0; a job costs wcet + 40 cycles (two VM steps and the service)
    release = 0
    while True:
        yield work(wcet)
        release += period
        yield delay_until(release)
"""

OVERHEAD = 40   # cycles of each job besides its work: two VM steps (10 each) and the delay_until service (20)


def periodic_system(scheduler: str, tasks: list[tuple[str, int, int]]) -> str:
    """Tasks (name, period, cost); priorities by period (rate-monotonic) for the priority policy."""
    by_period = sorted(tasks, key=lambda t: t[1])
    body = f"""
        [[vm]]
        name = "rt"
        kind = "python"
        scheduler = "{scheduler}"
        load = ["periodic.py"]
    """
    for name, period, cost in tasks:
        body += f"""
        [[task]]
        name = "{name}"
        vm = "rt"
        entry = "periodic/periodic"
        args = [{period}, {cost - OVERHEAD}]
        priority = {1 + by_period.index((name, period, cost))}
        attrs = {{ period = {period}, wcet = {cost} }}
    """
    return system(body)


def run_periodic(tmp_path: Path, scheduler: str, tasks: list[tuple[str, int, int]], horizon: int):
    s = build_scenario(tmp_path / scheduler, {"periodic.py": PERIODIC}, periodic_system(scheduler, tasks),
                       trace=True, plugins=(("sched-edf", osvm_sched_edf.plugin),))
    assert s.run(max_cycles=horizon).reason == "max-cycles"
    jobs = all_jobs(s.kernel, [name for name, _, _ in tasks])
    return s, {name: count_misses(found, horizon) for name, found in jobs.items()}, jobs


# Non-harmonic periods at utilisation 0.95: 2000/5000 + 3850/7000 = 0.4 + 0.55.
# Rate-monotonic gives t1 priority; t2's response is 3850 + 2 * 2000 = 7850 > 7000.
SET_095 = [("t1", 5000, 2000), ("t2", 7000, 3850)]
HYPERPERIOD = 35_000


def test_edf_meets_every_deadline_at_095_where_rate_monotonic_misses(tmp_path):
    horizon = 4 * HYPERPERIOD
    assert sum(cost / period for _, period, cost in SET_095) == pytest.approx(0.95)
    edf, edf_misses, edf_jobs = run_periodic(tmp_path, "edf", SET_095, horizon)
    rm, rm_misses, _ = run_periodic(tmp_path, "priority", SET_095, horizon)
    assert edf_misses == {"t1": 0, "t2": 0}
    assert rm_misses["t1"] == 0 and rm_misses["t2"] > 0          # rate-monotonic misses, t2 only
    assert sum(rm_misses.values()) > sum(edf_misses.values())
    # every job released before the horizon whose deadline passed has ended under EDF
    assert all(job.end is not None for found in edf_jobs.values() for job in found if job.deadline <= horizon)
    stats = edf.kernel.domain_of("rt").policy.stats()
    assert stats["deadline misses"] == 0 and stats["misses t2"].startswith("0 of ")
    assert stats["utilisation (wcet/period)"] == pytest.approx(0.95)
    assert rm.kernel.domain_of("rt").policy.name == "priority"


def test_overload_misses_are_counted_alike_by_the_policy_and_the_trace(tmp_path):
    overloaded = [("a", 4000, 2400), ("b", 6000, 3000)]       # utilisation 1.1
    horizon = 60_000
    s, misses, jobs = run_periodic(tmp_path, "edf", overloaded, horizon)
    stats = s.kernel.domain_of("rt").policy.stats()
    assert sum(misses.values()) > 0
    assert stats["deadline misses"] == sum(misses.values())
    for name in ("a", "b"):
        assert stats[f"misses {name}"].split()[0] == str(misses[name])


def test_edf_figures_appear_in_the_stats_report(tmp_path):
    from osvm_core.cli.report import stats_report

    s, _, _ = run_periodic(tmp_path, "edf", SET_095, 20_000)
    report = stats_report(s.kernel)
    assert "deadline misses" in report and "misses t1" in report and "worst response t2" in report


def test_plugin_registers_edf():
    from osvm_core.plugins import load_plugins
    from osvm_core.registry import build_registry

    registry = build_registry(load_plugins(entry_points=False, extra=(("sched-edf", osvm_sched_edf.plugin),)))
    assert isinstance(registry.create("scheduler", "edf", {}), EarliestDeadlineFirst)
    assert registry.get("scheduler", "edf").plugin == "sched-edf"
