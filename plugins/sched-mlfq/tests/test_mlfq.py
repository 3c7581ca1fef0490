"""The mlfq policy: the contract, demotion, boosts, and an interactive task ahead of CPU-bound ones."""

from __future__ import annotations

import statistics

import pytest

import osvm_sched_mlfq.plugin
from osvm_core.errors import ParameterError
from osvm_core.testing.conformance import FakeTask, PolicyContract
from osvm_core.testing.jobs import task_jobs
from osvm_core.testing.scenario import build_scenario, system
from osvm_sched_mlfq import MultiLevelFeedbackQueue


class TestMlfqContract(PolicyContract):
    @staticmethod
    def make():
        return MultiLevelFeedbackQueue()


class Clock:
    cycle = 0

    def __call__(self) -> int:
        return self.cycle


def test_levels_have_growing_slices_and_a_used_slice_demotes():
    policy = MultiLevelFeedbackQueue({"levels": 3, "slice": 100, "growth": 3, "boost": 0})
    assert policy.slices == [100, 300, 900]
    cpu, other = FakeTask(1, name="cpu"), FakeTask(2, name="other")
    policy.ready(cpu)
    policy.ready(other)
    assert policy.pick() is cpu and policy.remaining(cpu) == 100
    assert policy.tick(cpu, 60) is False and policy.remaining(cpu) == 40
    assert policy.tick(cpu, 40) is True                    # whole slice used: level 1
    assert policy.pick() is other                          # level 0 runs first
    policy.blocked(other)
    assert policy.pick() is cpu and policy.remaining(cpu) == 300
    policy.tick(cpu, 300)
    policy.tick(cpu, 900)
    policy.tick(cpu, 900)                                  # the last level keeps it
    assert policy.stats()["level cpu"] == 2 and policy.stats()["demotions"] == 2


def test_a_task_that_waits_before_its_slice_ends_keeps_its_level_with_a_fresh_slice():
    policy = MultiLevelFeedbackQueue({"slice": 100, "boost": 0})
    task = FakeTask(1, name="io")
    for _ in range(10):
        policy.ready(task)
        assert policy.pick() is task and policy.remaining(task) == 100
        policy.blocked(task)
        policy.tick(task, 90)                              # the kernel ticks after the block
    assert policy.stats()["level io"] == 0
    policy.ready(task)
    policy.blocked(task)
    policy.tick(task, 100)                                 # but a whole slice before waiting demotes
    assert policy.stats()["level io"] == 1


def test_boost_brings_every_task_back_to_the_top():
    policy = MultiLevelFeedbackQueue({"slices": [100, 1000], "boost": 5000})
    clock = Clock()
    policy.attach(clock)
    a, b = FakeTask(1, name="a"), FakeTask(2, name="b")
    policy.ready(a)
    policy.tick(a, 100)                                    # a sinks to level 1
    policy.ready(b)
    assert policy.pick() is b
    policy.blocked(b)                                      # b waits, at level 0
    clock.cycle = 5000
    assert policy.pick() is a                              # boosted: a at the top again
    assert policy.stats()["boosts"] == 1 and policy.stats()["level a"] == 0
    policy.ready(b)
    assert list(policy.queues[0]) == [a, b]


def test_bad_options_are_refused():
    with pytest.raises(ParameterError, match="unknown options"):
        MultiLevelFeedbackQueue({"quantum": 5})
    with pytest.raises(ParameterError, match="either slices"):
        MultiLevelFeedbackQueue({"slices": [10, 20], "levels": 2})
    with pytest.raises(ParameterError, match="boost"):
        MultiLevelFeedbackQueue({"boost": -1})
    with pytest.raises(ParameterError, match="levels"):
        MultiLevelFeedbackQueue({"levels": 0})


GUESTS = """
from osvm_vm_python.guest import delay, export, work

@export("func()")
def spin():
    while True:
        yield work(100)

@export("func(bursts: s32)")
def interactive(bursts):
    for _ in range(bursts):
        yield work(200)        # a short burst (a key press handled)...
        yield delay(3000)      # ...then wait for the next one
"""


def interactive_run(tmp_path, scheduler: str, options: str):
    body = f"""
        [[vm]]
        name = "desk"
        kind = "python"
        scheduler = "{scheduler}"
        scheduler_options = {options}
        load = ["guests.py"]

        [[task]]
        name = "editor"
        vm = "desk"
        entry = "guests/interactive"
        args = [40]
    """
    for index in range(3):
        body += f"""
        [[task]]
        name = "batch{index}"
        vm = "desk"
        entry = "guests/spin"
        """
    s = build_scenario(tmp_path / scheduler, {"guests.py": GUESTS}, system(body), trace=True,
                       plugins=(("sched-mlfq", osvm_sched_mlfq.plugin),))
    s.run(max_cycles=120_000)
    responses = [job.response for job in task_jobs(s.kernel, "editor") if job.response is not None]
    assert len(responses) >= 20
    return s, responses


def test_an_interactive_task_responds_far_ahead_of_cpu_bound_ones(tmp_path):
    mlfq, fast = interactive_run(tmp_path, "mlfq", "{ slice = 500, boost = 40000 }")
    _, slow = interactive_run(tmp_path, "round-robin", "{ slice = 1000 }")
    # under MLFQ the editor stays at the top level and runs as soon as it wakes: its burst,
    # the step to its delay and the service; round-robin queues it behind three spinners' slices
    assert statistics.median(fast) <= 250
    assert statistics.mean(fast) * 4 < statistics.mean(slow)
    stats = mlfq.kernel.domain_of("desk").policy.stats()
    assert stats["level editor"] == 0 and stats["level batch0"] == 2 and stats["boosts"] >= 2

    from osvm_core.cli.report import stats_report

    report = stats_report(mlfq.kernel)
    assert "demotions" in report and "level editor" in report


def test_plugin_registers_mlfq():
    from osvm_core.plugins import load_plugins
    from osvm_core.registry import build_registry

    plugins = load_plugins(entry_points=False, extra=(("sched-mlfq", osvm_sched_mlfq.plugin),))
    assert isinstance(build_registry(plugins).create("scheduler", "mlfq", {}), MultiLevelFeedbackQueue)
