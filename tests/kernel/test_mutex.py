"""Mutexes: priority inheritance (one donor, several locks, nested, chained, through a semaphore,
a lowered base priority), priority ceiling, donors that leave, holders that end, and ASP3 errors.

The donation scenarios follow the classic teaching-kernel tests (Pintos' priority-donate-*), in
μITRON terms: a smaller number is a higher priority; ``priority()`` is the current priority.
Cycle model as in test_semaphores: BOOT, CALL = STEP + SERVICE, END = STEP.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from osvm_core.errors import E_DLT, E_ILUSE, E_OBJ, E_PAR, E_RLWAI, E_TMOUT, IllegalUse, ObjectStateError
from osvm_core.kernel.kernel import SERVICE_CYCLES as SERVICE
from osvm_core.system.spec import SystemFileError, parse_system
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
from osvm_vm_python.guest import delay, export, mtx, new_mtx, sem, self_task, task, work
from scenario import cp, note


def attempt(request):
    '''Yield a request; give its error code (or 0) instead of raising.'''
    try:
        yield request
    except OsvmError as error:
        return error.code
    return 0


def prio(name):
    return (yield task(name).priority())
"""


def tasks(*specs: tuple, start: tuple[str, ...] = ()) -> str:
    """[[task]] tables: (name, entry, priority[, args]); only the names in ``start`` start at boot."""
    text = ""
    for name, entry, priority, *args in specs:
        text += f"""
[[task]]
name = "{name}"
vm = "app"
entry = "g/{entry}"
priority = {priority}
start = {"true" if name in start else "false"}
"""
        if args:
            text += f"args = {args[0]!r}\n".replace("'", '"')
    return text


def mutexes(*specs: tuple[str, str]) -> str:
    return "".join(f'\n[[mutex]]\nname = "{name}"\nprotocol = "{protocol}"\n' for name, protocol in specs)


# ---------------------------------------------------------------- donation
def test_one_donor_at_a_time_raises_the_holder_until_it_unlocks(scenario):
    guest = PRELUDE + """
@export("func()")
def low():
    m = mtx("m")
    yield m.lock()
    yield task("med").activate()         # med preempts, waits for m: low runs at med's priority
    note("low", (yield from prio("low")))
    yield task("high").activate()        # the same with high
    note("low", (yield from prio("low")))
    yield from cp("low unlocks")
    yield m.unlock()                     # high takes m and preempts; low is back at 5
    yield from cp("low again")
    note("low", (yield from prio("low")))

@export("func(name: string)")
def donor(name):
    m = mtx("m")
    yield m.lock()
    yield from cp(name + " has m")
    yield m.unlock()
    yield from cp(name + " done")
"""
    s = scenario({"g.py": guest}, system(APP + mutexes(("m", "inherit")) + tasks(
        ("low", "low", 5), ("med", "donor", 3, ["med"]), ("high", "donor", 1, ["high"]), start=("low",))))
    assert s.run().reason == "finished"
    low_unlocks = BOOT + 2 * CALL + CALL + CALL + 2 * CALL + CALL + CALL   # med's lock, high's lock between
    high_has = low_unlocks + CALL + CALL                                   # low's unlock, high's cp
    med_has = high_has + 2 * CALL + END + CALL                             # high: unlock, cp, return
    assert s.points == [
        ("low", 3), ("low", 1), ("low unlocks", low_unlocks),
        ("high has m", high_has), ("high done", high_has + 2 * CALL),
        ("med has m", med_has), ("med done", med_has + 2 * CALL),
        ("low again", med_has + 2 * CALL + END + CALL), ("low", 5)]
    assert s.points[2:4] == [("low unlocks", 280), ("high has m", 340)]


@pytest.mark.parametrize("first", ["a", "b"])
def test_several_mutexes_each_with_a_donor_released_in_either_order(scenario, first):
    guest = PRELUDE + f"""
@export("func()")
def low():
    yield mtx("a").lock()
    yield mtx("b").lock()
    yield task("ta").activate()          # waits for a, priority 3
    yield task("tb").activate()          # waits for b, priority 2
    note("low", (yield from prio("low")))
    yield mtx("{first}").unlock()
    note("low", (yield from prio("low")))
    yield mtx("{'b' if first == 'a' else 'a'}").unlock()
    note("low", (yield from prio("low")))

@export("func(name: string)")
def donor(name):
    yield mtx(name).lock()
    note("got", name)
    yield mtx(name).unlock()
"""
    s = scenario({"g.py": guest}, system(APP + mutexes(("a", "inherit"), ("b", "inherit")) + tasks(
        ("low", "low", 5), ("ta", "donor", 3, ["a"]), ("tb", "donor", 2, ["b"]), start=("low",))))
    assert s.run().reason == "finished"
    if first == "b":   # tb runs at once; low keeps ta's donation until a goes too
        assert s.points == [("low", 2), ("got", "b"), ("low", 3), ("got", "a"), ("low", 5)]
    else:              # ta gets a but cannot run: low still has tb's donation, above ta
        assert s.points == [("low", 2), ("low", 2), ("got", "b"), ("got", "a"), ("low", 5)]


def test_nested_donation_reaches_the_holder_of_the_first_lock(scenario):
    guest = PRELUDE + """
@export("func()")
def low():
    yield mtx("a").lock()
    yield task("med").activate()         # med holds b and waits for a
    note("low", (yield from prio("low")), "med", (yield from prio("med")))
    yield task("high").activate()        # high waits for b: med, and through it low, run at 1
    note("low", (yield from prio("low")), "med", (yield from prio("med")))
    yield mtx("a").unlock()
    note("low done", (yield from prio("low")))

@export("func()")
def med():
    yield mtx("b").lock()
    yield mtx("a").lock()
    note("med has a", (yield from prio("med")))
    yield mtx("a").unlock()
    yield mtx("b").unlock()              # high takes b and preempts
    note("med done", (yield from prio("med")))

@export("func()")
def high():
    yield mtx("b").lock()
    note("high has b")
    yield mtx("b").unlock()
"""
    s = scenario({"g.py": guest}, system(APP + mutexes(("a", "inherit"), ("b", "inherit")) + tasks(
        ("low", "low", 5), ("med", "med", 3), ("high", "high", 1), start=("low",))))
    assert s.run().reason == "finished"
    assert s.points == [("low", 3, "med", 3), ("low", 1, "med", 1), ("med has a", 1), ("high has b",),
                        ("med done", 3), ("low done", 5)]


def test_chained_donation_through_four_holders_and_back(scenario):
    guest = PRELUDE + """
@export("func()")
def t0():
    yield mtx("m0").lock()
    for k in range(1, 5):
        yield task(f"t{k}").activate()   # it locks its own mutex, then waits for the one below
        seen = []
        for holder in range(k):
            seen.append((yield from prio(f"t{holder}")))
        note(seen)
    yield mtx("m0").unlock()
    note("t0 done", (yield from prio("t0")))

@export("func(k: s32)")
def link(k):
    if k < 4:
        yield mtx(f"m{k}").lock()
    yield mtx(f"m{k - 1}").lock()
    note(f"t{k} has m{k - 1}", (yield from prio(f"t{k}")))
    yield mtx(f"m{k - 1}").unlock()
    if k < 4:
        yield mtx(f"m{k}").unlock()
    note(f"t{k} done", (yield from prio(f"t{k}")))
"""
    s = scenario({"g.py": guest}, system(APP + mutexes(*((f"m{k}", "inherit") for k in range(4))) + tasks(
        ("t0", "t0", 9), *((f"t{k}", "link", 9 - 2 * k, [k]) for k in range(1, 5)), start=("t0",))))
    assert s.run().reason == "finished"
    assert s.points == [
        ([7],), ([5, 5],), ([3, 3, 3],), ([1, 1, 1, 1],),   # the holders after each new donor
        ("t1 has m0", 1), ("t2 has m1", 1), ("t3 has m2", 1), ("t4 has m3", 1),
        ("t4 done", 1), ("t3 done", 3), ("t2 done", 5), ("t1 done", 7), ("t0 done", 9)]
    assert all(not t.mutexes for t in s.kernel.tasks.values())


def test_lowering_the_base_priority_of_a_holder_keeps_its_donation(scenario):
    guest = PRELUDE + """
@export("func()")
def low():
    yield mtx("m").lock()
    yield task("high").activate()
    yield task("low").set_priority(7)           # base 7, but high still donates 2
    note("lowered", (yield from prio("low")))
    yield task("med").activate()               # priority 4: does not preempt low
    note("med has not run")
    yield mtx("m").unlock()                    # high, then med, run before low now
    note("low", (yield from prio("low")))

@export("func(name: string)")
def donor(name):
    if name == "high":
        yield mtx("m").lock()
        yield mtx("m").unlock()
    note(name)
"""
    s = scenario({"g.py": guest}, system(APP + mutexes(("m", "inherit")) + tasks(
        ("low", "low", 5), ("high", "donor", 2, ["high"]), ("med", "donor", 4, ["med"]), start=("low",))))
    assert s.run().reason == "finished"
    assert s.points == [("lowered", 2), ("med has not run",), ("high",), ("med",), ("low", 7)]
    low = s.task("low")
    assert (low.base_priority, low.priority) == (7, 7)


def test_changing_a_donors_priority_moves_the_holder_with_it(scenario):
    guest = PRELUDE + """
@export("func()")
def low():
    yield mtx("i").lock()
    yield mtx("p").lock()
    yield mtx("c").lock()                       # ceiling 3: low runs at 3
    yield task("wi").activate()                 # priority 4, waits on i
    yield task("wp").activate()                 # priority 4, waits on p (plain: no donation)
    yield mtx("c").unlock()
    note("start", (yield from prio("low")))
    yield task("wi").set_priority(2)            # the donor rises: low follows
    note("wi at 2", (yield from prio("low")))
    yield task("wp").set_priority(1)            # a plain mutex lends nothing
    note("wp at 1", (yield from prio("low")))
    yield task("wi").set_priority(6)            # the donor drops below low's base
    note("wi at 6", (yield from prio("low")))
    yield mtx("c").lock()
    yield task("wc").activate()                 # priority 5: runs when low sleeps, waits for c
    yield delay(10)
    note("wc above c", (yield from attempt(task("wc").set_priority(2))))   # above the ceiling 3
    yield mtx("c").unlock()
    yield mtx("p").unlock()
    yield mtx("i").unlock()

@export("func(name: string)")
def waiter(name):
    yield mtx(name).lock()
    yield mtx(name).unlock()
"""
    s = scenario({"g.py": guest}, system(APP + mutexes(("i", "inherit"), ("p", "none")) + """
[[mutex]]
name = "c"
protocol = "ceiling"
ceiling = 3
""" + tasks(("low", "low", 5), ("wi", "waiter", 4, ["i"]), ("wp", "waiter", 4, ["p"]),
            ("wc", "waiter", 5, ["c"]), start=("low",))))
    assert s.run().reason == "finished"
    assert s.points == [("start", 4), ("wi at 2", 2), ("wp at 1", 2), ("wi at 6", 5), ("wc above c", E_ILUSE)]


def test_a_donee_waiting_on_a_semaphore_moves_up_its_priority_queue(scenario):
    guest = PRELUDE + """
@export("func()")
def low():
    yield mtx("m").lock()
    yield sem("s").wait()                # behind med in the queue, until high donates
    note("low has s")
    yield mtx("m").unlock()
    yield sem("s").signal()

@export("func()")
def med():
    yield sem("s").wait()
    note("med has s")

@export("func()")
def high():
    yield delay(100)                     # low and med wait for s by now
    yield mtx("m").lock()
    note("high has m")
    yield mtx("m").unlock()

@export("func()")
def starter():
    yield delay(1000)                    # everyone else waits by then
    yield sem("s").signal()
"""
    s = scenario({"g.py": guest}, system(APP + mutexes(("m", "inherit")) + """
[[semaphore]]
name = "s"
order = "priority"
""" + tasks(("high", "high", 1), ("med", "med", 3), ("low", "low", 5), ("starter", "starter", 9),
            start=("high", "low", "med", "starter"))))
    assert s.run().reason == "finished"
    assert s.points == [("low has s",), ("high has m",), ("med has s",)]


# ---------------------------------------------------------------- ceiling
def test_ceiling_raises_the_holder_at_lock_and_refuses_lockers_above_it(scenario):
    guest = PRELUDE + """
@export("func()")
def holder():
    c = mtx("c")
    yield c.lock()
    note("locked", (yield from prio("holder")))
    yield task("mid").activate()                                  # priority 3: below the ceiling 2
    note("set 1", (yield from attempt(task("holder").set_priority(1))))   # above the ceiling
    yield task("holder").set_priority(4)                          # the ceiling keeps it at 2
    note("set 4", (yield from prio("holder")))
    yield task("top").activate()
    yield c.unlock()                                              # mid preempts now
    note("unlocked", (yield from prio("holder")))

@export("func()")
def mid():
    note("mid runs")

@export("func()")
def top():
    note("top lock", (yield from attempt(mtx("c").lock())))      # priority 1 > ceiling 2
"""
    s = scenario({"g.py": guest}, system(APP + """
[[mutex]]
name = "c"
protocol = "ceiling"
ceiling = 2
""" + tasks(("holder", "holder", 5), ("mid", "mid", 3), ("top", "top", 1), start=("holder",))))
    assert s.run().reason == "finished"
    assert s.points == [("locked", 2), ("set 1", E_ILUSE), ("set 4", 2), ("top lock", E_ILUSE),
                        ("mid runs",), ("unlocked", 4)]


def test_a_mutex_that_changes_a_ready_priority_puts_the_task_first_among_its_peers(scenario):
    # TOPPERS NGKI2018: the holder dropping back to 3 on unlock stays ahead of peer, ready at 3 since
    # before; chg_pri would have put it behind (NGKI1194).
    guest = PRELUDE + """
@export("func()")
def holder():
    yield mtx("m").lock()
    yield task("peer").activate()
    yield task("high").activate()        # waits for m: holder runs at 1
    yield mtx("m").unlock()              # high runs; holder back to 3, first in its level
    note("holder")

@export("func(name: string)")
def other(name):
    if name == "high":
        yield mtx("m").lock()
    note(name)
"""
    s = scenario({"g.py": guest}, system(APP + mutexes(("m", "inherit")) + tasks(
        ("holder", "holder", 3), ("peer", "other", 3, ["peer"]), ("high", "other", 1, ["high"]),
        start=("holder",))))
    assert s.run().reason == "finished"
    assert s.points == [("high",), ("holder",), ("peer",)]


# ---------------------------------------------------------------- donors that leave, holders that end
def test_a_donor_timing_out_drops_its_donation_at_that_cycle(scenario):
    guest = PRELUDE + """
@export("func()")
def low():
    yield mtx("m").lock()
    yield task("high").activate()
    yield task("med").activate()         # does not run: low has high's priority
    yield work(5000)                     # high times out in the middle: med preempts low
    yield from cp("low done")
    yield mtx("m").unlock()

@export("func()")
def high():
    note("high", (yield from attempt(mtx("m").lock(1000))))
    yield from cp("high")

@export("func()")
def med():
    yield from cp("med")
"""
    s = scenario({"g.py": guest}, system(APP + mutexes(("m", "inherit")) + tasks(
        ("low", "low", 5), ("high", "high", 1), ("med", "med", 3), start=("low",))))
    assert s.run().reason == "finished"
    high_waits = BOOT + 3 * CALL                  # low: lock, activate; high: lock
    timeout = high_waits + 1000
    assert s.points == [("high", E_TMOUT), ("high", timeout + CALL), ("med", timeout + CALL + END + CALL),
                        ("low done", BOOT + 4 * CALL + STEP + 5000 + CALL + (CALL + END) * 2)]
    assert s.points[1:3] == [("high", 1160), ("med", 1200)]


def test_release_wait_of_a_donor_drops_its_donation(scenario):
    guest = PRELUDE + """
@export("func()")
def low():
    yield mtx("m").lock()
    yield task("high").activate()
    note("low", (yield from prio("low")))
    yield task("high").release_wait()    # high runs: E_RLWAI
    note("low", (yield from prio("low")))
    yield mtx("m").unlock()

@export("func()")
def high():
    note("high", (yield from attempt(mtx("m").lock())))
"""
    s = scenario({"g.py": guest}, system(APP + mutexes(("m", "inherit")) + tasks(
        ("low", "low", 5), ("high", "high", 1), start=("low",))))
    assert s.run().reason == "finished"
    assert s.points == [("low", 1), ("high", E_RLWAI), ("low", 5)]


def test_a_holder_that_ends_hands_its_mutexes_to_their_next_waiters(scenario):
    guest = PRELUDE + """
@export("func()")
def victim():
    yield mtx("a").lock()
    yield mtx("b").lock()
    yield task("wa").activate()
    yield task("wb").activate()
    note("victim", (yield from prio("victim")))
    yield task("killer").activate()      # terminates victim

@export("func()")
def killer():
    yield task("victim").terminate()
    note("killed", (yield task("victim").state()))

@export("func(name: string)")
def waiter(name):
    yield mtx(name).lock()
    holder = yield mtx(name).holder()
    note(name, holder == task("w" + name) or (yield holder.state()))

@export("func()")
def quitter():
    yield mtx("q").lock()                # and returns holding it

@export("func()")
def heir():
    yield task("quitter").activate()
    yield mtx("q").lock()
    note("heir has q")
"""
    s = scenario({"g.py": guest}, system(APP + mutexes(("a", "inherit"), ("b", "inherit"), ("q", "none")) + tasks(
        ("victim", "victim", 6), ("killer", "killer", 1), ("wa", "waiter", 2, ["a"]),
        ("wb", "waiter", 3, ["b"]), ("quitter", "quitter", 1), ("heir", "heir", 8),
        start=("victim", "heir"))))
    assert s.run().reason == "finished"
    assert s.points[:4] == [("victim", 2), ("killed", "dormant"), ("a", "running"), ("b", "running")]
    assert s.points[4:] == [("heir has q",)]
    victim = s.task("victim")
    assert victim.mutexes == [] and victim.priority == victim.base_priority == 6
    assert all(m.holder is None for m in s.kernel.objects.all("mtx"))


# ---------------------------------------------------------------- plain mutexes, errors, objects
def test_a_plain_mutex_does_not_donate_and_serves_its_queue_in_order(scenario):
    guest = PRELUDE + """
@export("func()")
def low():
    yield mtx("f").lock()
    yield mtx("p").lock()
    for name in ("w4", "w2", "w3"):
        yield task(name).activate()      # each waits on f, then on p
    note("low", (yield from prio("low")))
    yield mtx("f").unlock()
    yield mtx("p").unlock()

@export("func(name: string)")
def waiter(name):
    yield mtx("f").lock()
    note("f", name)
    yield mtx("f").unlock()
    yield mtx("p").lock()
    note("p", name)
    yield mtx("p").unlock()
"""
    s = scenario({"g.py": guest}, system(APP + """
[[mutex]]
name = "f"

[[mutex]]
name = "p"
order = "priority"
""" + tasks(("low", "low", 5), ("w4", "waiter", 4, ["w4"]), ("w2", "waiter", 2, ["w2"]),
            ("w3", "waiter", 3, ["w3"]), start=("low",))))
    assert s.run().reason == "finished"
    # f hands over in arrival order; each waiter then queues on p, which low still holds
    assert s.points == [("low", 5), ("f", "w4"), ("f", "w2"), ("f", "w3"),
                        ("p", "w2"), ("p", "w3"), ("p", "w4")]


def test_asp3_error_codes_and_deletion(scenario):
    guest = PRELUDE + """
@export("func()")
def main():
    m = yield new_mtx("inherit")
    note("unlock free", (yield from attempt(m.unlock())))
    yield m.lock()
    note("relock", (yield from attempt(m.lock())))
    note("poll own", (yield from attempt(m.poll())))
    me = yield self_task()
    note("holder", (yield m.holder()) == me)
    held = yield Request("/os/mtx/held", (me.ref,))
    note("held", [h.id for h in held] == [m.ref.id])
    scenario_data["m"] = m
    yield task("other").activate()
    note("other waits", (yield task("other").state()))
    yield m.delete()                     # other gets E_DLT; main loses m
    note("after delete", (yield from attempt(m.unlock())))
    note("bad protocol", (yield from attempt(new_mtx("lifo"))))
    note("ceiling needed", (yield from attempt(new_mtx("ceiling"))))
    note("fifo inherit", (yield from attempt(new_mtx("inherit", 0, "fifo"))))
    c = yield new_mtx("ceiling", 3)
    yield c.lock()
    note("ceiling", (yield from prio("main")))

@export("func()")
def other():
    m = scenario_data["m"]
    note("other unlock", (yield from attempt(m.unlock())))
    note("other poll", (yield from attempt(m.poll())))
    note("other lock", (yield from attempt(m.lock())))
"""
    guest = guest.replace("from scenario import cp, note", "from osvm_vm_python.guest import Request\n"
                                                           "from scenario import cp, note, data as scenario_data")
    s = scenario({"g.py": guest}, system(APP + tasks(("main", "main", 5), ("other", "other", 2),
                                                     start=("main",))))
    assert s.run().reason == "finished"
    assert s.points == [("unlock free", E_OBJ), ("relock", E_OBJ), ("poll own", E_OBJ), ("holder", True),
                        ("held", True),
                        ("other unlock", E_OBJ), ("other poll", E_TMOUT), ("other waits", "waiting"),
                        ("other lock", E_DLT), ("after delete", -42), ("bad protocol", E_PAR),
                        ("ceiling needed", E_PAR), ("fifo inherit", E_PAR), ("ceiling", 3)]
    main = s.task("main")
    assert [m.protocol for m in main.mutexes] == []      # ended: its ceiling mutex was unlocked
    assert main.priority == 5


def test_unlock_in_reverse_lock_order_on_request_for_asp3(scenario):
    s = scenario({"g.py": PRELUDE}, system(APP))
    kernel = s.kernel
    a = kernel.create_mutex("a")
    b = kernel.create_mutex("b", "ceiling", 2)
    t = next(t for t in kernel.tasks.values() if t.vm_name == "kernel")
    t.base_priority = t.priority = 4
    assert a.lock(t, 0) is None and b.lock(t, 0) is None
    assert t.mutexes == [a, b] and t.priority == 2 and b.stats()["holder"] == t.name
    with pytest.raises(ObjectStateError):
        a.unlock(t, last_only=True)      # ASP3 NGKI3611: b was locked last
    b.unlock(t, last_only=True)
    assert t.priority == 4
    a.unlock(t, last_only=True)
    t.base_priority = t.priority = 1
    with pytest.raises(IllegalUse):
        b.lock(t, 0)


def test_system_file_mutex_table_is_checked():
    def parse(body: str):
        return parse_system({"mutex": [body]}, "s.toml")

    spec = parse({"name": "m", "protocol": "ceiling", "ceiling": 3})
    assert spec.objects[0].kind == "mtx"
    assert spec.objects[0].values == {"protocol": "ceiling", "ceiling": 3, "order": "priority"}
    assert parse({"name": "p"}).objects[0].values == {"protocol": "none", "order": "fifo"}
    for body, key in (({"name": "m", "protocol": "lifo"}, "mutex[0].protocol"),
                      ({"name": "m", "protocol": "ceiling"}, "mutex[0].ceiling"),
                      ({"name": "m", "protocol": "inherit", "ceiling": 2}, "mutex[0].ceiling"),
                      ({"name": "m", "protocol": "inherit", "order": "fifo"}, "mutex[0].order")):
        with pytest.raises(SystemFileError) as error:
            parse(body)
        assert error.value.key == key


# ---------------------------------------------------------------- Mars Pathfinder
PATHFINDER = Path(__file__).resolve().parents[2] / "examples" / "pathfinder"


def run_pathfinder(file: str) -> tuple[str, object]:
    from osvm_core.registry import build_registry
    from osvm_core.system.build import build_system
    from osvm_core.system.spec import read_system_file
    from osvm_core.testing.scenario import plugin_set

    plugins = plugin_set()
    output = bytearray()
    built = build_system(read_system_file(PATHFINDER / file), plugins, build_registry(plugins),
                         console_out=output.extend, diagnostics=lambda text: None)
    report = built.kernel.run()
    assert report.reason == "finished"
    return output.decode(), built.kernel


def test_pathfinder_inversion_resets_the_lander_and_inheritance_prevents_it():
    flown, kernel = run_pathfinder("system.toml")
    fixed, fixed_kernel = run_pathfinder("system-inherit.toml")
    assert kernel.objects.get("mtx", "bus").protocol == "none"
    assert fixed_kernel.objects.get("mtx", "bus").protocol == "inherit"

    # as flown: comms keeps meteo, holding the bus, off the processor; bc_dist misses cycle 3
    # and the watchdog resets twice
    assert " 40.090 ms  bc_sched  bus cycle 3 is not finished: WATCHDOG RESET #1\n" in flown
    assert " 50.090 ms  bc_sched  bus cycle 4 is not finished: WATCHDOG RESET #2\n" in flown
    assert " 58.440 ms  bc_dist   bus cycle 3 done, waited 26780 cycles for the bus  DEADLINE MISSED\n" in flown
    assert flown.endswith("== bc_sched: 2 watchdog reset(s) in 8 bus cycles\n")
    assert "inherited" not in flown

    # with inheritance: bc_dist lends meteo priority 2 over comms' 3; no cycle is late
    assert (" 32.530 ms  meteo     published weather data, bus held  7440 cycles, "
            "at priority 2 inherited (its own: 4)\n") in fixed
    assert " 33.220 ms  bc_dist   bus cycle 3 done, waited  1560 cycles for the bus\n" in fixed
    assert "RESET" not in fixed and "DEADLINE" not in fixed and "skips" not in fixed
    assert fixed.endswith("== bc_sched: 0 watchdog reset(s) in 8 bus cycles\n")
    assert "== bc_dist: longest wait for the bus 1560 cycles\n" in fixed

    # the same run twice gives the same transcript
    assert run_pathfinder("system.toml")[0] == flown
