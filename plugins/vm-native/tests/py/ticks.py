"""An upper-layer task that receives the timer interrupt as messages, while native tasks spin."""

from osvm_vm_python.guest import export, now, port, write


@export("func(count: s32) -> s32")
def main(count):
    timer = port("timer0")
    for _ in range(count):
        tick = yield timer.receive()
        t = yield now()
        yield write(f"[{t:>8}] python: tick {tick}\n")
    return 0
