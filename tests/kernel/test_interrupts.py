"""Interrupt -> message -> task wake-up, on the virt board's timer line.

The latency from a timer tick at cycle T to the woken task running is fixed:

* at T the kernel takes the line and releases the line's interrupt task (kernel domain,
  always first); that task acknowledges the board and posts the tick number to
  /dev/timer0, which hands it straight to the waiting receiver (released at T);
  acknowledging and posting is charged INTERRUPT_CYCLES;
* the interrupt task then calls /os/int/wait to wait for its line again: SERVICE_CYCLES;
* so the receiver is dispatched at T + INTERRUPT_CYCLES + SERVICE_CYCLES;
* its ``cp`` costs one more CALL (a Python step to reach ``yield now()`` and the service),
  so it records T + INTERRUPT_CYCLES + SERVICE_CYCLES + STEP + SERVICE_CYCLES.
"""

from __future__ import annotations

from osvm_core.kernel.interrupts import INTERRUPT_CYCLES
from osvm_core.kernel.kernel import SERVICE_CYCLES as SERVICE
from osvm_core.testing.scenario import system
from osvm_vm_python.vm import STEP_CYCLES as STEP

CALL = STEP + SERVICE
DISPATCH_LATENCY = INTERRUPT_CYCLES + SERVICE        # tick -> woken task dispatched
PERIOD = 1000

RECEIVER = """
from osvm_vm_python.guest import export, port, work
from scenario import cp

@export("func()")
def receiver():
    timer = port("timer0")
    for _ in range(3):
        tick = yield timer.receive()
        yield from cp(tick)

@export("func()")
def busy():
    while True:
        yield work(100_000)
"""


def test_constants_give_a_dispatch_latency_of_sixty_cycles():
    assert (INTERRUPT_CYCLES, SERVICE, STEP) == (40, 20, 10)
    assert DISPATCH_LATENCY == 60


def test_a_receiver_blocked_on_the_timer_port_wakes_at_a_fixed_latency(scenario):
    s = scenario({"g.py": RECEIVER}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        scheduler = "priority"
        load = ["g.py"]

        [[task]]
        name = "receiver"
        vm = "app"
        entry = "g/receiver"
    """, timer_period=PERIOD), trace=True)
    assert s.run().reason == "finished"
    assert s.points == [(k, k * PERIOD + DISPATCH_LATENCY + CALL) for k in (1, 2, 3)]
    assert s.points == [(1, 1090), (2, 2090), (3, 3090)]
    events = s.kernel.trace.events
    for k in (1, 2, 3):
        tick = k * PERIOD
        assert ("interrupt", "int.timer0") in [(e.kind, e.who) for e in events if e.cycle == tick]
        released = [e for e in events if e.kind == "release" and e.who == "receiver"]
        assert released[k - 1].cycle == tick               # the message is posted at the tick
        switched = [e for e in events if e.kind == "switch" and e.who == "receiver"]
        assert switched[k].cycle == tick + DISPATCH_LATENCY  # [0] is the first dispatch at boot


def test_the_latency_holds_while_a_lower_priority_task_computes(scenario):
    s = scenario({"g.py": RECEIVER}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        scheduler = "priority"
        load = ["g.py"]

        [[task]]
        name = "receiver"
        vm = "app"
        entry = "g/receiver"
        priority = 1

        [[task]]
        name = "busy"
        vm = "app"
        entry = "g/busy"
        priority = 5
    """, timer_period=PERIOD))
    report = s.run(max_cycles=5 * PERIOD)
    assert report.reason == "max-cycles"
    # busy's work is cut at each tick (the budget stops at the next device event), so the
    # receiver preempts it with exactly the same latency as on an idle system
    assert s.points == [(k, k * PERIOD + DISPATCH_LATENCY + CALL) for k in (1, 2, 3)]
    assert s.task("receiver").state.value == "dormant"


def test_an_upcall_runs_the_handler_in_a_task_of_the_registering_vm_for_each_message(scenario):
    guest = """
        from osvm_vm_python.guest import delay, export, port, write
        from scenario import cp

        @export("func(tick: u64)")
        def on_tick(tick):
            yield from cp(("tick", tick))

        @export("func()")
        def main():
            yield port("timer0").upcall("/mod/app/g/on_tick", 1)
            yield delay(3 * 1000 + 500)
    """
    s = scenario({"g.py": guest}, system("""
        [[vm]]
        name = "app"
        kind = "python"
        load = ["g.py"]

        [[task]]
        vm = "app"
        entry = "g/main"
    """, timer_period=PERIOD))
    assert s.run().reason == "finished"
    assert [p[0] for p in s.points] == [("tick", 1), ("tick", 2), ("tick", 3)]
    upcall = [t for t in s.kernel.tasks.values() if t.name.startswith("upcall.")]
    assert len(upcall) == 1 and upcall[0].vm_name == "app" and upcall[0].daemon
    # the upcall task receives (a service call), then calls the handler (a frame in VM app)
    for k, (_, cycle) in enumerate(s.points, start=1):
        assert cycle == k * PERIOD + DISPATCH_LATENCY + CALL
