"""ASI/MET, the meteorological data task: low priority, publishes on the information bus.

It holds the bus mutex for HOLD cycles once per bus cycle, and reports (still
holding it) the priority it runs at: above its own when bc_dist, waiting for
the bus, has donated its priority (the inheritance variant).
"""

from osvm_vm_python.guest import delay, export, mtx, now, self_task, work, write

PERIOD = 10_000
CYCLES = 8
AT = 5_000             # when it publishes in each cycle
HOLD = 2_000           # cycles of work with the bus held


def until(cycle):
    t = yield now()
    if cycle > t:
        yield delay(cycle - t)


@export("func() -> s32")
def meteo():
    bus = mtx("bus")
    me = yield self_task()
    base = yield me.priority()
    k = 0
    while k < CYCLES:
        t = yield now()
        if t > k * PERIOD + AT:                        # fell behind: next cycle still ahead
            k = (t - AT) // PERIOD + 1
            continue
        yield from until(k * PERIOD + AT)
        yield bus.lock()
        locked = yield now()
        yield work(HOLD)                               # the weather data goes out on the bus
        running_at = yield me.priority()
        t = yield now()
        inherited = f", at priority {running_at} inherited (its own: {base})" if running_at != base else ""
        yield write(f"{t / 1000:7.3f} ms  meteo     published weather data, bus held {t - locked:>5} cycles"
                    f"{inherited}\n")
        yield bus.unlock()
        k += 1
    return 0
