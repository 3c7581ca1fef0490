"""Receives the timer's tick messages (an interrupt delivered as a message) and reports."""

from osvm_vm_python.guest import export, now, port, write

TICKS = 4


@export("func() -> s32")
def main():
    timer = port("timer0")
    for _ in range(TICKS):
        tick = yield timer.receive()
        t = yield now()
        yield write(f"[{t:>7}] watchdog: tick {tick}\n")
    return 0
