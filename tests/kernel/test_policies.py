"""Policies across the kernel: the watchdog, flat mode, per-VM policies under the OS round-robin, rot_rdq."""

from __future__ import annotations

import types

import pytest

from osvm_core.hookspecs import hookimpl
from osvm_core.scheduling.policy import SchedulingPolicy
from osvm_core.system.spec import SystemFileError
from osvm_core.testing.scenario import system

SPIN = """
from osvm_vm_python.guest import export, work

@export("func()")
def spin():
    while True:
        yield work(100)

@export("func(cycles: s64)")
def finite(cycles):
    yield work(cycles)
    return 0
"""


# ---------------------------------------------------------------- starving policies, from a test plugin
class Favourite(SchedulingPolicy):
    """Always runs the ready task with the smallest id, with no slice: the others starve."""

    name = "favourite"

    def __init__(self, options=None):
        super().__init__(options)
        self.tasks = {}

    def ready(self, task):
        self.tasks[task.id] = task

    def blocked(self, task):
        self.tasks.pop(task.id, None)

    def pick(self):
        return self.tasks[min(self.tasks)] if self.tasks else None


class Mute(Favourite):
    """Takes tasks and never picks one."""

    name = "mute"

    def pick(self):
        return None


def starving_plugin() -> tuple[str, object]:
    module = types.ModuleType("starving_policies")

    @hookimpl
    def osvm_register_schedulers(register):
        register("favourite", Favourite)
        register("mute", Mute)

    module.osvm_register_schedulers = osvm_register_schedulers
    return ("starving-policies", module)


def starving_system(policy: str, watchdog: int | None, *, spinners: bool = True) -> str:
    entry = "spin/spin" if spinners else "spin/finite"
    args = "" if spinners else "args = [5000]"
    return system(f"""
        [[vm]]
        name = "a"
        kind = "python"
        scheduler = "{policy}"
        load = ["spin.py"]

        [[task]]
        name = "hog"
        vm = "a"
        entry = "{entry}"
        {args}

        [[task]]
        name = "victim"
        vm = "a"
        entry = "{entry}"
        {args}
    """).replace("seed = 0\n", "seed = 0\n" + ("" if watchdog is None else f"watchdog = {watchdog}\n"), 1)


def test_the_watchdog_replaces_a_policy_that_starves_a_task(scenario):
    s = scenario({"spin.py": SPIN}, starving_system("favourite", 20_000), plugins=(starving_plugin(),),
                 trace=True)
    assert s.run(max_cycles=200_000).reason == "max-cycles"
    kernel = s.kernel
    [fallback] = kernel.watchdog_fallbacks
    assert fallback.domain == "a" and fallback.policy == "favourite" and fallback.task == "victim"
    assert 20_000 < fallback.unpicked <= 20_000 + 20_000 // 4 + 2000 and fallback.cycle == fallback.unpicked
    assert kernel.domain_of("a").policy.name == "round-robin"
    [message] = [line for line in s.diagnostics if "watchdog" in line]
    assert "policy favourite left task 'victim' unpicked" in message and "falls back to round-robin" in message
    assert [e.who for e in kernel.trace.events if e.kind == "watchdog"] == ["a"]
    hog, victim = s.task("hog"), s.task("victim")
    # from the fallback on the two share the processor
    assert victim.cycles == pytest.approx((200_000 - fallback.cycle) / 2, rel=0.02)
    assert hog.cycles == pytest.approx(fallback.cycle + (200_000 - fallback.cycle) / 2, rel=0.02)

    from osvm_core.cli.report import stats_report

    report = stats_report(kernel)
    assert "replaced policy" in report and "favourite" in report and "1 fallback(s)" in report


def test_without_the_watchdog_the_starving_policy_keeps_starving(scenario):
    s = scenario({"spin.py": SPIN}, starving_system("favourite", None), plugins=(starving_plugin(),))
    assert s.kernel.watchdog == 0                      # off unless the system file sets it
    s.run(max_cycles=100_000)
    assert s.task("victim").cycles == 0 and not s.kernel.watchdog_fallbacks
    assert s.kernel.domain_of("a").policy.name == "favourite"


def test_the_watchdog_also_catches_a_policy_that_picks_nothing(scenario):
    mute = starving_system("mute", 10_000, spinners=False)
    s = scenario({"spin.py": SPIN}, mute, plugins=(starving_plugin(),))
    report = s.run()
    assert report.reason == "finished"                 # rather than a deadlock
    assert s.kernel.watchdog_fallbacks[0].policy == "mute"
    assert s.kernel.idle_cycles > 9_000               # the clock jumped to the watchdog's bound
    assert s.task("hog").exit_code == 0 and s.task("victim").exit_code == 0
    silent = scenario({"spin.py": SPIN}, starving_system("mute", None, spinners=False),
                      plugins=(starving_plugin(),))
    assert silent.run().reason == "deadlock"


def test_round_robin_domains_are_never_replaced(scenario):
    s = scenario({"spin.py": SPIN}, starving_system("round-robin", 100))
    s.run(max_cycles=50_000)                            # slices of 1000 leave a task unpicked > 100 cycles
    assert not s.kernel.watchdog_fallbacks and not s.diagnostics


def test_a_negative_watchdog_is_refused(scenario):
    with pytest.raises(SystemFileError, match="system.watchdog"):
        scenario({"spin.py": SPIN}, starving_system("round-robin", -1))


# ---------------------------------------------------------------- flat mode
ORDERED = """
from osvm_vm_python.guest import export, new_sem, work
from scenario import note

@export("func(name: string)")
def worker(name):
    s = yield new_sem(0, 1)        # owned by the task's own VM, even in flat mode
    yield work(300)
    note(name)
"""


def two_vms(head: str, vm_keys: str = "") -> str:
    text = system(f"""
        [[vm]]
        name = "a"
        kind = "python"
        load = ["ordered.py"]
        {vm_keys}

        [[vm]]
        name = "b"
        kind = "python"
        load = ["ordered.py"]
    """ + "".join(f"""
        [[task]]
        name = "{name}"
        vm = "{vm}"
        entry = "ordered/worker"
        priority = {priority}
        args = ["{name}"]
    """ for name, vm, priority in [("a3", "a", 3), ("a1", "a", 1), ("b2", "b", 2), ("b4", "b", 4)]))
    return text.replace("[hal]", head + "\n[hal]", 1)


def test_flat_mode_runs_one_policy_over_the_tasks_of_every_vm(scenario):
    s = scenario({"ordered.py": ORDERED}, two_vms('scheduler = "priority"'))
    kernel = s.kernel
    assert [d.name for d in kernel.domains] == ["flat"] and kernel.domains[0].policy.name == "priority"
    assert kernel.domain_of("a") is kernel.domain_of("b") is kernel.flat
    assert s.run().reason == "finished"
    assert [p[0] for p in s.points] == ["a1", "b2", "a3", "b4"]   # one priority order across both VMs
    assert {t.name: t.vm_name for t in kernel.tasks.values() if t.domain is kernel.flat} == \
        {"a3": "a", "a1": "a", "b2": "b", "b4": "b"}
    owners = sorted(sem.owner for sem in kernel.objects.all("sem"))
    assert owners == ["a", "a", "b", "b"]                      # each task's own VM, not "flat"


def test_per_vm_domains_order_each_vm_alone(scenario):
    s = scenario({"ordered.py": ORDERED}, two_vms("", 'scheduler = "priority"'))
    assert s.run().reason == "finished"
    # each domain finishes its tasks within its turn: a by priority, b round-robin in file order
    order = [p[0] for p in s.points]
    assert order in (["a1", "a3", "b2", "b4"], ["b2", "b4", "a1", "a3"])


def test_flat_mode_keys_are_checked(scenario):
    with pytest.raises(SystemFileError, match=r"vm\[0\]\.scheduler"):
        scenario({"ordered.py": ORDERED}, two_vms("flat = true", 'scheduler = "priority"'))
    with pytest.raises(SystemFileError, match="system.scheduler"):
        scenario({"ordered.py": ORDERED}, two_vms('flat = false\nscheduler = "priority"'))
    with pytest.raises(SystemFileError, match="system.scheduler_options"):
        scenario({"ordered.py": ORDERED}, two_vms("scheduler_options = { slice = 5 }"))
    s = scenario({"ordered.py": ORDERED}, two_vms("flat = true\nscheduler_options = { slice = 700 }"))
    assert s.kernel.flat.policy.name == "round-robin" and s.kernel.flat.policy.slice == 700
    assert s.run().reason == "finished"


# ---------------------------------------------------------------- two VMs, two policies, one OS round-robin
def test_two_vms_with_different_policies_keep_their_orders_and_their_shares(scenario):
    stride = pytest.importorskip("osvm_sched_stride.plugin")
    s = scenario({"spin.py": SPIN}, system("""
        [[vm]]
        name = "rt"
        kind = "python"
        scheduler = "priority"
        share = 1
        load = ["spin.py"]

        [[vm]]
        name = "batch"
        kind = "python"
        scheduler = "stride"
        share = 2
        load = ["spin.py"]

        [[task]]
        name = "p1"
        vm = "rt"
        entry = "spin/spin"
        priority = 1

        [[task]]
        name = "p2"
        vm = "rt"
        entry = "spin/spin"
        priority = 2

        [[task]]
        name = "big"
        vm = "batch"
        entry = "spin/spin"
        attrs = { tickets = 300 }

        [[task]]
        name = "small"
        vm = "batch"
        entry = "spin/spin"
        attrs = { tickets = 100 }
    """), plugins=(("sched-stride", stride),))
    assert s.run(max_cycles=300_000).reason == "max-cycles"
    rt, batch = s.kernel.domain_of("rt"), s.kernel.domain_of("batch")
    assert batch.cycles / rt.cycles == pytest.approx(2, rel=0.03)           # the OS shares, 1:2
    assert s.task("p1").cycles == rt.cycles and s.task("p2").cycles == 0     # rt: fixed priority
    assert s.task("big").cycles / s.task("small").cycles == pytest.approx(3, rel=0.03)   # batch: tickets


# ---------------------------------------------------------------- the core priority policy rotates right
def test_priority_rotate_moves_the_caller_behind_its_level_only(scenario):
    guest = """
        from osvm_vm_python.guest import export, rotate
        from scenario import note

        @export("func(name: string)")
        def worker(name):
            note(name + "1")
            yield rotate()
            note(name + "2")
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "a"
        kind = "python"
        scheduler = "priority"
        load = ["g.py"]
    """ + "".join(f"""
        [[task]]
        name = "{name}"
        vm = "a"
        entry = "g/worker"
        priority = {priority}
        args = ["{name}"]
    """ for name, priority in [("x", 1), ("low", 2), ("y", 1), ("z", 1)])))
    assert s.run().reason == "finished"
    assert [p[0] for p in s.points] == ["x1", "y1", "z1", "x2", "y2", "z2", "low1", "low2"]
