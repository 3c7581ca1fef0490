"""Memory pools through the kernel: fixed-size (mpf) and variable-size (mpl) blocking gets.

Cycle model as in test_semaphores: BOOT (the interrupt tasks' first waits), CALL
(one system call of a Python task), END (the resume that returns from the entry).
"""

from __future__ import annotations

from osvm_core.errors import E_DLT, E_TMOUT
from osvm_core.kernel.kernel import SERVICE_CYCLES as SERVICE
from osvm_core.memory.variable_pool import HEADER_SIZE
from osvm_core.testing.scenario import system
from osvm_vm_python.vm import STEP_CYCLES as STEP

BOOT = 2 * SERVICE
CALL = STEP + SERVICE            # one system call: the Python VM's step to the yield + the service
END = STEP

APP_PRIORITY = """
[[vm]]
name = "app"
kind = "python"
scheduler = "priority"
load = ["g.py"]
"""


def task(name: str, entry: str, priority: int, *args: object) -> str:
    args_text = ", ".join(repr(a) if isinstance(a, int) else f'"{a}"' for a in args)
    return f"""
[[task]]
name = "{name}"
vm = "app"
entry = "g/{entry}"
priority = {priority}
args = [{args_text}]
"""


def test_fixed_get_blocks_when_empty_and_release_hands_the_block_to_the_first_waiter(scenario):
    guest = """
        from osvm_vm_python.guest import delay, export, mpf
        from scenario import cp, data, note

        @export("func()")
        def holder():
            pool = mpf("p")
            first = yield pool.get()
            second = yield pool.get()
            data["blocks"] = (first, second)
            free = yield pool.free()
            note("free", free)
            yield delay(1000)
            yield from cp("release")
            yield pool.release(second)

        @export("func(name: string)")
        def waiter(name):
            block = yield mpf("p").get()
            yield from cp((name, block))
    """
    s = scenario({"g.py": guest}, system(APP_PRIORITY + """
        [[pool]]
        name = "p"
        kind = "fixed"
        block = 16
        count = 2
    """ + task("holder", "holder", 1) + task("w1", "waiter", 2, "w1") + task("w2", "waiter", 3, "w2")))
    report = s.run()
    assert report.reason == "deadlock"                   # w2 never gets a block
    assert report.detail == [f"task 'w2' waits on mpf p since cycle {BOOT + 6 * CALL}"]
    first, second = s.recorder.data["blocks"]
    assert second == first + 16                             # a fresh pool hands out ascending blocks
    # holder: get, get, free, delay (w1 and w2 block meanwhile), cp, release (w1 gets the block)
    cp_release = BOOT + 4 * CALL + 1000 + CALL
    assert s.points == [("free", 0), ("release", cp_release), (("w1", second), cp_release + CALL + END + CALL)]
    assert s.task("w2").state.value == "waiting"
    pool = s.kernel.objects.get("mpf", "p")
    assert pool.pool.free_count == 0 and len(pool.queue) == 1
    assert pool.holders == {first: "app", second: "app"}


def test_fixed_timed_get_times_out_at_the_timeout(scenario):
    guest = """
        from osvm_core.errors import Timeout
        from osvm_vm_python.guest import export, mpf
        from scenario import cp, note

        @export("func()")
        def main():
            pool = mpf("p")
            yield pool.get()
            try:
                yield pool.get(0)
            except Timeout as error:
                note("poll", error.code)
            try:
                yield pool.get(750)
            except Timeout as error:
                note("timed", error.code)
            yield from cp("after")
    """
    s = scenario({"g.py": guest}, system(APP_PRIORITY + """
        [[pool]]
        name = "p"
        kind = "fixed"
        block = 8
        count = 1
    """ + task("main", "main", 1)))
    assert s.run().reason == "finished"
    timed_wait_from = BOOT + 3 * CALL
    assert s.points == [("poll", E_TMOUT), ("timed", E_TMOUT), ("after", timed_wait_from + 750 + CALL)]
    assert len(s.kernel.objects.get("mpf", "p").queue) == 0


def test_fixed_delete_releases_waiters_with_e_dlt(scenario):
    guest = """
        from osvm_core.errors import Deleted
        from osvm_vm_python.guest import delay, export, mpf
        from scenario import cp, note

        @export("func()")
        def taker():
            yield mpf("p").get()
            yield delay(5000)

        @export("func(name: string)")
        def waiter(name):
            try:
                yield mpf("p").get()
            except Deleted as error:
                note(name, error.code)

        @export("func()")
        def deleter():
            yield mpf("p").delete()
            yield from cp("deleter")
    """
    s = scenario({"g.py": guest}, system(APP_PRIORITY + """
        [[pool]]
        name = "p"
        kind = "fixed"
        block = 8
        count = 1
    """ + task("taker", "taker", 1) + task("w1", "waiter", 2, "w1") + task("w2", "waiter", 3, "w2")
        + task("deleter", "deleter", 4)))
    assert s.run().reason == "finished"
    # the released waiters have higher priorities than the deleter: they run first
    assert s.points[:2] == [("w1", E_DLT), ("w2", E_DLT)]
    deleted = BOOT + 5 * CALL       # taker: get, delay; w1, w2: get; deleter: delete
    assert s.points[2] == ("deleter", deleted + 2 * END + CALL)
    assert s.kernel.objects.all("mpf") == []


def test_variable_pool_serves_in_queue_order_without_overtaking(scenario):
    guest = """
        from osvm_vm_python.guest import delay, export, mpl
        from scenario import cp, data

        @export("func()")
        def holder():
            pool = mpl("v")
            a = yield pool.get(100)
            b = yield pool.get(100)
            yield delay(1000)
            yield from cp("release a")
            yield pool.release(a)           # 108 bytes free at the front, 40 at the end: big still can't fit
            yield delay(1000)
            yield from cp("release b")
            yield pool.release(b)           # now everything is free: big, then small

        @export("func(name: string, after: s64, size: u32)")
        def asker(name, after, size):
            yield delay(after)
            yield from cp(("asks", name))
            block = yield mpl("v").get(size)
            yield from cp(("got", name))
            data[name] = block
    """
    s = scenario({"g.py": guest}, system(APP_PRIORITY + """
        [[pool]]
        name = "v"
        kind = "variable"
        size = 256
    """ + task("holder", "holder", 1) + task("big", "asker", 2, "big", 100, 150)
        + task("small", "asker", 3, "small", 200, 20)))
    assert s.run().reason == "finished"
    names = [p[0] for p in s.points]
    assert names == [("asks", "big"), ("asks", "small"), "release a", "release b",
                     ("got", "big"), ("got", "small")]
    cycles = dict(s.points)
    # small's 20 bytes (28 with the header) fitted in the 40 free bytes at the end all along,
    # but it waited behind big; both were served by the second release, big first
    assert cycles[("got", "small")] > cycles["release b"] > cycles["release a"] + 1000
    pool = s.kernel.objects.get("mpl", "v")
    assert s.recorder.data["big"] < s.recorder.data["small"]
    assert pool.pool.stats().live_bytes == 150 + 20 + 2 * HEADER_SIZE


def test_variable_pool_head_timing_out_lets_the_next_waiter_in(scenario):
    guest = """
        from osvm_core.errors import Timeout
        from osvm_vm_python.guest import delay, export, mpl
        from scenario import cp, note

        @export("func()")
        def holder():
            yield mpl("v").get(200)
            yield delay(10_000)

        @export("func(name: string, after: s64, size: u32, timeout: s64)")
        def asker(name, after, size, timeout):
            yield delay(after)
            try:
                yield mpl("v").get(size, timeout)
                yield from cp(("got", name))
            except Timeout as error:
                note("timeout", name, error.code)
                yield from cp(("gave up", name))
    """
    s = scenario({"g.py": guest}, system(APP_PRIORITY + """
        [[pool]]
        name = "v"
        kind = "variable"
        size = 256
    """ + task("holder", "holder", 1) + task("big", "asker", 2, "big", 100, 150, 500)
        + task("small", "asker", 3, "small", 200, 20, -1)))
    assert s.run().reason == "finished"
    # big waits from about 100 and times out 500 later; small (behind it) is served right then
    assert s.points[0] == ("timeout", "big", E_TMOUT)
    assert [p[0] for p in s.points[1:]] == [("gave up", "big"), ("got", "small")]
    gave_up, got = s.points[1][1], s.points[2][1]
    assert got == gave_up + END + CALL        # small was released at the timeout, runs after big ends


def test_variable_pool_delete_releases_waiters_with_e_dlt(scenario):
    guest = """
        from osvm_core.errors import Deleted
        from osvm_vm_python.guest import delay, export, mpl
        from scenario import cp, note

        @export("func()")
        def owner():
            yield mpl("v").get(200)
            yield delay(1000)
            yield mpl("v").delete()
            yield from cp("deleted")

        @export("func(name: string, size: u32)")
        def asker(name, size):
            try:
                yield mpl("v").get(size)
            except Deleted as error:
                note(name, error.code)
    """
    s = scenario({"g.py": guest}, system(APP_PRIORITY + """
        [[pool]]
        name = "v"
        kind = "variable"
        size = 256
    """ + task("owner", "owner", 1) + task("a", "asker", 2, "a", 100) + task("b", "asker", 3, "b", 8)))
    assert s.run().reason == "finished"
    # b's 8 bytes would fit beside the owner's block, but b queues behind a (no overtaking)
    assert s.points[0] == ("deleted", BOOT + 2 * CALL + 1000 + 2 * CALL)
    assert s.points[1:] == [("a", E_DLT), ("b", E_DLT)]


def test_raising_a_waiters_priority_to_the_head_of_a_priority_queue_serves_it_if_it_fits(scenario):
    # μITRON 4.0 chg_pri: a task waiting in a priority-ordered queue of a variable-size pool
    # moves to its new place; if that changes the head, blocks are handed out from the head
    guest = """
        from osvm_vm_python.guest import delay, export, mpl, task
        from scenario import cp

        @export("func()")
        def holder():
            block = yield mpl("v").get(200)
            yield delay(1000)                          # big, then small queue up meanwhile
            yield from cp("raise small")
            yield task("small").set_priority(1)        # small is now the head, and 20 bytes fit
            yield delay(1000)
            yield from cp("release")
            yield mpl("v").release(block)

        @export("func(name: string, after: s64, size: u32)")
        def asker(name, after, size):
            yield delay(after)
            yield mpl("v").get(size)
            yield from cp(("got", name))
    """
    s = scenario({"g.py": guest}, system(APP_PRIORITY + """
        [[pool]]
        name = "v"
        kind = "variable"
        size = 256
        order = "priority"
    """ + task("holder", "holder", 1) + task("big", "asker", 2, "big", 100, 150)
        + task("small", "asker", 3, "small", 200, 20)))
    assert s.run().reason == "finished"
    raised = BOOT + 2 * CALL + 1000 + CALL
    assert [p[0] for p in s.points] == ["raise small", ("got", "small"), "release", ("got", "big")]
    # small got its block inside the set_priority call; at priority 1 it is ready behind the
    # holder (same level), so it runs when the holder delays again
    assert s.points[0][1] == raised
    assert s.points[1][1] == raised + 2 * CALL + CALL
