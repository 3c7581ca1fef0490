"""Produces jobs: a payload written into a pool block, its address sent to the jobs port."""

from osvm_vm_python.guest import export, mpf, now, port, sem, work, write, write_memory

JOBS = 6


@export("func() -> s32")
def main():
    slots, jobs, buffers = sem("slots"), port("jobs"), mpf("buffers")
    for number in range(1, JOBS + 1):
        yield work(4_000)                          # prepare the job
        yield slots.wait()                         # room in the port?
        block = yield buffers.get()
        payload = f"job {number}: " + "ab" * number
        yield write_memory(block, payload.encode())
        yield jobs.send((number, block, len(payload)))
        t = yield now()
        yield write(f"[{t:>7}] producer: sent job {number} ({len(payload)} bytes)\n")
    yield jobs.send((0, 0, 0))                     # end of work
    return 0
