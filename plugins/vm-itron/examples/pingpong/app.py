"""Ping-pong over a semaphore and a fixed-size pool, with a cyclic handler, in μITRON style.

Every service returns its C result: an error code (E_OK = 0), or (ercd, value)
for calls with an out-parameter. Objects are named by ID or by the system
file's name.
"""

from osvm_vm_itron.api import (
    E_OK,
    E_QOVR,
    E_TMOUT,
    acre_cyc,
    dly_tsk,
    ext_tsk,
    get_inf,
    get_mpf,
    get_tim,
    iact_tsk,
    rel_mpf,
    sig_sem,
    sta_cyc,
    stp_cyc,
    twai_sem,
)
from osvm_vm_python.guest import export, read_memory, write, write_memory


@export("func()")
def consumer():
    received = 0
    while received < 3:
        ercd = yield from twai_sem("items", 50)           # at most 50 ms
        if ercd == E_TMOUT:
            ercd, now = yield from get_tim()
            yield write(f"consumer: nothing yet at {now} ms\n")
            continue
        received += 1
        yield write(f"consumer: item {received}\n")
    yield from ext_tsk()


@export("func()")
def producer():
    ercd, exinf = yield from get_inf()
    ercd, cyc = yield from acre_cyc("/mod/rtos/app/tick", 3, 40, 40, False)
    yield from sta_cyc(cyc)
    for n in range(3):
        yield from dly_tsk(60)
        ercd, blk = yield from get_mpf("buffers")
        message = f"item {n} from task with exinf {exinf}".encode()
        yield write_memory(blk, message)
        text = yield read_memory(blk, len(message))
        yield write(f"producer: {text.decode()}\n")
        assert (yield from rel_mpf("buffers", blk)) == E_OK
        yield from sig_sem("items")
    yield from stp_cyc(cyc)
    yield from ext_tsk()


@export("func(exinf: any)")
def tick(exinf):
    """Cyclic handler: non-task context, so it uses the handler-context names."""
    ercd = yield from iact_tsk(exinf)                      # exinf: the monitor's ID
    assert ercd in (E_OK, E_QOVR)                          # E_QOVR: one activation queued already


@export("func()")
def monitor():
    """Activated by the cyclic handler; one activation may wait in its queue (ASP3: at most one)."""
    ercd, now = yield from get_tim()
    yield write(f"monitor: {now} ms\n")
