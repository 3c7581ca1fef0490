"""The communications task: medium priority, CPU-bound, and it never touches the bus mutex.

One long job, started while meteo holds the bus: without priority inheritance
it keeps meteo (and so bc_dist, waiting for the bus) off the processor.
"""

from osvm_vm_python.guest import delay, export, now, work, write

START = 25_500         # half a millisecond after meteo took the bus in cycle 2
JOB = 30_000           # cycles of computing


@export("func() -> s32")
def comms():
    yield delay(START)
    t = yield now()
    yield write(f"{t / 1000:7.3f} ms  comms     starts a {JOB}-cycle job\n")
    yield work(JOB)
    end = yield now()
    yield write(f"{end / 1000:7.3f} ms  comms     job done after {end - t} cycles\n")
    return 0
