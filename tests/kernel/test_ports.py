"""Ports: bounded message queues between tasks, and the ports interrupt tasks feed.

Cycle model as in test_semaphores: BOOT, CALL = STEP + SERVICE, END = STEP.
"""

from __future__ import annotations

from osvm_core.errors import E_QOVR, E_TMOUT
from osvm_core.kernel.interrupts import DEVICE_PORT_CAPACITY
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


def test_send_waits_for_room_and_receive_takes_messages_in_order(scenario):
    guest = """
        from osvm_vm_python.guest import delay, export, port
        from scenario import cp, note

        @export("func()")
        def sender():
            for n in (1, 2, 3):
                yield port("q").send(("msg", n))
                yield from cp(("sent", n))

        @export("func()")
        def receiver():
            yield delay(1000)
            for _ in range(3):
                message = yield port("q").receive()
                yield from cp(("got", message[1]))
    """
    s = scenario({"g.py": guest}, system(APP + """
        [[port]]
        name = "q"
        capacity = 2

        [[task]]
        name = "sender"
        vm = "app"
        entry = "g/sender"
        priority = 1

        [[task]]
        name = "receiver"
        vm = "app"
        entry = "g/receiver"
        priority = 2
    """))
    assert s.run().reason == "finished"
    # sender: two sends with a cp each, then the third send waits for room; the receiver's
    # delay begins after that, and its first receive takes message 1 and moves the waiting
    # sender's message 3 into the port; the sender (priority 1) runs before the receiver goes on
    delay_ends = BOOT + 6 * CALL + 1000
    sender_ends = delay_ends + 2 * CALL + END
    assert s.points == [
        (("sent", 1), BOOT + 2 * CALL),
        (("sent", 2), BOOT + 4 * CALL),
        (("sent", 3), delay_ends + 2 * CALL),
        (("got", 1), sender_ends + CALL),
        (("got", 2), sender_ends + 3 * CALL),
        (("got", 3), sender_ends + 5 * CALL),
    ]
    q = s.kernel.objects.get("port", "q")
    assert (q.sent, q.received, q.overflows, q.high_water) == (3, 3, 0, 2)


def test_receive_times_out_and_poll_on_a_full_port_is_e_qovr(scenario):
    guest = """
        from osvm_core.errors import QueueOverflow, Timeout
        from osvm_vm_python.guest import export, port
        from scenario import cp, note

        @export("func()")
        def main():
            q = port("q")
            try:
                yield q.receive(0)
            except Timeout as error:
                note("poll receive", error.code)
            try:
                yield q.receive(300)
            except Timeout as error:
                note("timed receive", error.code)
            yield from cp("after timeout")
            yield q.send("one", 0)
            try:
                yield q.send("two", 0)
            except QueueOverflow as error:
                note("poll send", error.code)
            message = yield q.receive(0)
            note("got", message)
    """
    s = scenario({"g.py": guest}, system(APP + """
        [[port]]
        name = "q"
        capacity = 1

        [[task]]
        vm = "app"
        entry = "g/main"
    """))
    assert s.run().reason == "finished"
    timed_from = BOOT + 2 * CALL
    assert s.points == [
        ("poll receive", E_TMOUT),
        ("timed receive", E_TMOUT),
        ("after timeout", timed_from + 300 + CALL),
        ("poll send", E_QOVR),
        ("got", "one"),
    ]
    q = s.kernel.objects.get("port", "q")
    assert q.overflows == 0          # a refused send is the sender's error, not a lost message


def test_interrupt_port_overflow_is_counted_and_reported(scenario):
    guest = """
        from osvm_vm_python.guest import export, port, work
        from scenario import note

        @export("func()")
        def main():
            tick = yield port("timer0").receive()   # from now on somebody listens
            note(tick)
            yield work(18_000)      # nobody receives meanwhile (ends after tick 20)
            for _ in range(9):
                tick = yield port("timer0").receive()
                note(tick)
    """
    s = scenario({"g.py": guest}, system(APP + """
        [[task]]
        vm = "app"
        entry = "g/main"
    """, timer_period=1000), trace=True)
    assert s.run().reason == "finished"
    timer0 = s.kernel.objects.get("port", "timer0")
    assert timer0.capacity == DEVICE_PORT_CAPACITY == 8
    # ticks 2..20 came while the task worked: 8 fit, 11 were lost; the receiver sees the gap
    assert s.points == [(n,) for n in range(1, 10)] + [(21,)]
    assert timer0.overflows == 11
    assert (timer0.sent, timer0.received, timer0.high_water) == (10, 10, 8)
    lost = [e for e in s.kernel.trace.events if e.kind == "overflow"]
    assert [e.cycle for e in lost] == [n * 1000 for n in range(10, 21)]
    assert all(e.who == "port timer0" for e in lost)
    # reported, not silent: the first loss goes to the diagnostics at once
    assert s.diagnostics == ["osvm: port timer0 is full (capacity 8): message lost at cycle 10000 (1 lost so far)"]


def test_a_device_port_nobody_listens_to_drops_quietly_but_counts(scenario):
    guest = """
        from osvm_vm_python.guest import export, work

        @export("func()")
        def main():
            yield work(30_000)
    """
    s = scenario({"g.py": guest}, system(APP + """
        [[task]]
        vm = "app"
        entry = "g/main"
    """, timer_period=1000))
    assert s.run().reason == "finished"
    timer0 = s.kernel.objects.get("port", "timer0")
    assert timer0.overflows > 0 and not timer0.listened
    assert s.diagnostics == []


def test_a_system_file_port_named_like_a_device_line_resizes_it(scenario):
    guest = """
        from osvm_vm_python.guest import export, work

        @export("func()")
        def main():
            yield work(10_000)
    """
    s = scenario({"g.py": guest}, system(APP + """
        [[port]]
        name = "timer0"
        capacity = 2

        [[task]]
        vm = "app"
        entry = "g/main"
    """, timer_period=1000))
    timer0 = s.kernel.objects.get("port", "timer0")
    assert timer0.capacity == 2 and s.kernel.names.lookup("/dev/timer0").procedure is timer0
    assert s.run().reason == "finished"
    assert timer0.high_water == 2 and timer0.overflows > 0
