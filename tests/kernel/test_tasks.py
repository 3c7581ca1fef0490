"""Task services (μITRON slp_tsk/wup_tsk, dly_tsk, sus_tsk/rsm_tsk, ter_tsk, rel_wai, chg_pri, act_tsk).

Cycle model as in test_semaphores: BOOT, CALL = STEP + SERVICE, END = STEP.
"""

from __future__ import annotations

from osvm_core.errors import E_ILUSE, E_OBJ, E_QOVR, E_RLWAI, E_TMOUT
from osvm_core.kernel.kernel import SERVICE_CYCLES as SERVICE
from osvm_core.testing.scenario import system
from osvm_vm_python.vm import STEP_CYCLES as STEP

BOOT = 2 * SERVICE
CALL = STEP + SERVICE
END = STEP

APP = """
[[vm]]
name = "app"
kind = "python"
scheduler = "priority"
load = ["g.py"]
"""

PRELUDE = """
from osvm_core.errors import OsvmError
from osvm_vm_python.guest import delay, export, self_task, sem, sleep, task, work
from scenario import cp, note


def attempt(request):
    '''Yield a request; note its error code (or 0) instead of raising.'''
    try:
        value = yield request
    except OsvmError as error:
        return error.code
    return 0
"""


def task_toml(name: str, entry: str, priority: int, *, start: bool = True) -> str:
    return f"""
[[task]]
name = "{name}"
vm = "app"
entry = "g/{entry}"
priority = {priority}
start = {"true" if start else "false"}
"""


def test_wakeup_before_sleep_is_queued_once_and_sleep_returns_at_once(scenario):
    guest = PRELUDE + """
@export("func()")
def waker():
    sleeper = task("sleeper")
    note("wakeup 1", (yield from attempt(sleeper.wakeup())))
    note("wakeup 2", (yield from attempt(sleeper.wakeup())))   # one is queued already
    yield delay(1000)
    yield from cp("wakeup 3")
    yield sleeper.wakeup()                                      # it sleeps now: released

@export("func()")
def sleeper():
    yield sleep()                       # consumes the queued wake-up
    yield from cp("slept through")
    note("timed", (yield from attempt(sleep(300))))
    yield from cp("after timed sleep")
    yield sleep()
    yield from cp("woken")
"""
    s = scenario({"g.py": guest}, system(APP + task_toml("waker", "waker", 1) + task_toml("sleeper", "sleeper", 2)))
    assert s.run().reason == "finished"
    waker_delays = BOOT + 3 * CALL
    slept = waker_delays + 2 * CALL
    timed_from = slept + CALL
    assert s.points == [
        ("wakeup 1", 0),
        ("wakeup 2", E_QOVR),
        ("slept through", slept),
        ("timed", E_TMOUT),
        ("after timed sleep", timed_from + 300 + CALL),
        ("wakeup 3", waker_delays + 1000 + CALL),
        ("woken", waker_delays + 1000 + 2 * CALL + END + CALL),
    ]


def test_cancel_wakeups_reports_and_drops_the_queued_count(scenario):
    guest = PRELUDE + """
from osvm_vm_python.guest import Request

@export("func()")
def main():
    me = yield self_task()
    yield me.wakeup()
    count = yield Request("/os/task/cancel_wakeups", (me.ref,))   # can_wup has no guest helper
    note("cancelled", count)
    note("sleep", (yield from attempt(sleep(0))))                # nothing queued any more: poll fails
"""
    s = scenario({"g.py": guest}, system(APP + task_toml("main", "main", 1)))
    assert s.run().reason == "finished"
    assert s.points == [("cancelled", 1), ("sleep", E_TMOUT)]


def test_delay_ends_normally_after_exactly_its_cycles(scenario):
    guest = PRELUDE + """
@export("func()")
def main():
    yield from cp("start")
    yield delay(777)
    yield from cp("after 777")
    yield delay(0)
    yield from cp("after 0")
"""
    s = scenario({"g.py": guest}, system(APP + task_toml("main", "main", 1)))
    assert s.run().reason == "finished"
    start = BOOT + CALL
    assert s.points == [("start", start), ("after 777", start + CALL + 777 + CALL),
                        ("after 0", start + 4 * CALL + 777)]


def test_suspend_and_resume_a_ready_task(scenario):
    guest = PRELUDE + """
@export("func()")
def boss():
    worker = task("worker")
    yield worker.suspend()
    note("state", (yield worker.state()))
    note("suspend again", (yield from attempt(worker.suspend())))
    yield delay(1000)                                   # the worker is not run meanwhile
    yield from cp("resume")
    yield worker.resume()
    note("resume again", (yield from attempt(worker.resume())))

@export("func()")
def worker():
    yield from cp("worker runs")
"""
    s = scenario({"g.py": guest}, system(APP + task_toml("boss", "boss", 1) + task_toml("worker", "worker", 2)))
    assert s.run().reason == "finished"
    resume = BOOT + 4 * CALL + 1000 + CALL
    assert s.points == [
        ("state", "suspended"),
        ("suspend again", E_QOVR),
        ("resume", resume),
        ("resume again", E_OBJ),
        ("worker runs", resume + 2 * CALL + END + CALL),
    ]


def test_a_waiting_task_suspended_stays_suspended_when_its_wait_ends(scenario):
    guest = PRELUDE + """
@export("func()")
def boss():
    sleeper = task("sleeper")
    yield delay(100)                                    # the sleeper goes to sleep
    note("1", (yield sleeper.state()))
    yield sleeper.suspend()
    note("2", (yield sleeper.state()))
    yield sleeper.wakeup()                              # the wait ends; still suspended
    note("3", (yield sleeper.state()))
    yield delay(1000)
    note("4", (yield sleeper.state()))
    yield from cp("resume")
    yield sleeper.resume()

@export("func()")
def sleeper():
    yield sleep()
    yield from cp("sleeper runs")
"""
    s = scenario({"g.py": guest}, system(APP + task_toml("boss", "boss", 1) + task_toml("sleeper", "sleeper", 2)))
    assert s.run().reason == "finished"
    states = [p for p in s.points if p[0] in "1234"]
    assert states == [("1", "waiting"), ("2", "waiting-suspended"), ("3", "suspended"), ("4", "suspended")]
    resume = dict(s.points)["resume"]
    assert s.points[-1] == ("sleeper runs", resume + CALL + END + CALL)


def test_terminate_ends_a_waiting_task_and_undoes_its_wait(scenario):
    guest = PRELUDE + """
@export("func()")
def boss():
    victim = task("victim")
    yield delay(100)
    yield victim.terminate()
    note("state", (yield victim.state()))
    note("again", (yield from attempt(victim.terminate())))
    me = yield self_task()
    note("self", (yield from attempt(me.terminate())))
    yield sem("s").signal()                             # nobody waits now: the count goes up
    note("count", (yield sem("s").count()))

@export("func()")
def victim():
    yield sem("s").wait()
    note("victim got the semaphore")
"""
    s = scenario({"g.py": guest}, system(APP + """
        [[semaphore]]
        name = "s"
    """ + task_toml("boss", "boss", 1) + task_toml("victim", "victim", 2)))
    assert s.run().reason == "finished"
    assert s.points == [("state", "dormant"), ("again", E_OBJ), ("self", E_ILUSE), ("count", 1)]
    assert len(s.kernel.objects.get("sem", "s").queue) == 0
    assert s.task("victim").exit_code is None and s.task("victim").fault is None


def test_release_wait_gives_e_rlwai(scenario):
    guest = PRELUDE + """
@export("func()")
def boss():
    waiter = task("waiter")
    note("not waiting", (yield from attempt(waiter.release_wait())))
    yield delay(100)
    yield from cp("release")
    yield waiter.release_wait()

@export("func()")
def waiter():
    note("waited", (yield from attempt(sem("s").wait())))
    yield from cp("waiter")
"""
    s = scenario({"g.py": guest}, system(APP + """
        [[semaphore]]
        name = "s"
    """ + task_toml("boss", "boss", 1) + task_toml("waiter", "waiter", 2)))
    assert s.run().reason == "finished"
    release = dict(s.points)["release"]
    assert s.points == [("not waiting", E_OBJ), ("release", release), ("waited", E_RLWAI),
                        ("waiter", release + CALL + END + CALL)]
    assert E_RLWAI == -49


def test_set_priority_moves_a_ready_task_to_the_tail_of_its_new_level(scenario):
    guest = PRELUDE + """
@export("func()")
def boss():
    yield task("c").set_priority(2)      # c jumps ahead of a and b
    yield task("a").set_priority(3)      # same level: a goes behind b (chg_pri puts it at the tail)
    note("a", (yield task("a").priority()))
    yield delay(100)

@export("func(name: string)")
def worker(name):
    note("runs", name)
"""
    s = scenario({"g.py": guest}, system(APP + task_toml("boss", "boss", 1) + "".join(f"""
        [[task]]
        name = "{n}"
        vm = "app"
        entry = "g/worker"
        priority = 3
        args = ["{n}"]
    """ for n in "abc")))
    assert s.run().reason == "finished"
    assert s.points == [("a", 3), ("runs", "c"), ("runs", "b"), ("runs", "a")]


def test_set_priority_of_a_waiting_task_reorders_a_priority_wait_queue(scenario):
    guest = PRELUDE + """
@export("func()")
def boss():
    yield delay(100)                     # w2 and w3 wait meanwhile
    yield task("w3").set_priority(1)
    yield sem("s").signal()
    yield sem("s").signal()

@export("func(name: string)")
def waiter(name):
    yield sem("s").wait()
    note("released", name)
"""
    s = scenario({"g.py": guest}, system(APP + """
        [[semaphore]]
        name = "s"
        max = 2
        order = "priority"
    """ + task_toml("boss", "boss", 1) + "".join(f"""
        [[task]]
        name = "{n}"
        vm = "app"
        entry = "g/waiter"
        priority = {p}
        args = ["{n}"]
    """ for n, p in (("w2", 2), ("w3", 3)))))
    assert s.run().reason == "finished"
    assert s.points == [("released", "w3"), ("released", "w2")]


def test_activation_requests_are_queued_once(scenario):
    guest = PRELUDE + """
runs = []

@export("func()")
def boss():
    worker = task("worker")
    note("state", (yield worker.state()))
    note("act 1", (yield from attempt(worker.activate())))
    note("act 2", (yield from attempt(worker.activate())))     # queued: it has not run yet
    note("act 3", (yield from attempt(worker.activate())))     # only one can be queued
    yield delay(1000)
    note("end state", (yield worker.state()))

@export("func()")
def worker():
    runs.append(1)
    yield from cp(("run", len(runs)))
"""
    s = scenario({"g.py": guest}, system(APP + task_toml("boss", "boss", 1)
                                         + task_toml("worker", "worker", 2, start=False)))
    assert s.run().reason == "finished"
    first = BOOT + 5 * CALL                            # state, act x3, delay; then the worker runs
    assert s.points == [
        ("state", "dormant"), ("act 1", 0), ("act 2", 0), ("act 3", E_QOVR),
        (("run", 1), first + CALL),
        (("run", 2), first + CALL + END + CALL),       # re-activated at once when the first run ends
        ("end state", "dormant"),
    ]
    assert s.task("worker").activations == 0
