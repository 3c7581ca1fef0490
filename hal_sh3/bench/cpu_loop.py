"""Instructions per second of the SH-3 core on a small integer loop, interpreter vs. block translation.

Usage: python hal_sh3/bench/cpu_loop.py [iterations]

The loop sums i and 3*i (MUL.L/STS MACL) for i = N..1 and keeps the running
value in memory (one load, one store per iteration): 8 instructions per turn.
Each mode runs the same program to its TRAPA and must reach the same result.
"""

from __future__ import annotations

import sys
import time

from osvm_hal_sh3.bus import RamBus
from osvm_hal_sh3.cpu import SH3CPU, CpuConfig, StopKind
from osvm_hal_sh3.cpu.asm import assemble

BASE = 0x8C000000
PROGRAM = """
        mov.l   @(count,pc),r0
        mov.l   @(data,pc),r5
        mov     #0,r1           ; sum of i
        mov     #3,r2
        mov     #0,r3           ; sum of 3*i
loop:   add     r0,r1
        mul.l   r0,r2
        sts     macl,r4
        mov.l   @r5,r3
        add     r4,r3
        mov.l   r3,@r5
        dt      r0
        bf      loop
        trapa   #0
        .align  4
count:  .long   {count}
data:   .long   {data}
"""


def measure(config: CpuConfig, count: int) -> tuple[float, int, int]:
    bus = RamBus(BASE, 0x10000)
    bus.load(BASE, assemble(PROGRAM.format(count=count, data=BASE + 0x8000), BASE))
    cpu = SH3CPU(bus, config)
    cpu.pc = BASE
    start = time.perf_counter()
    stop = cpu.run(10 * count + 100)
    elapsed = time.perf_counter() - start
    assert stop.kind is StopKind.TRAP, stop
    expected = count * (count + 1) // 2
    assert cpu.r[1] == expected & 0xFFFFFFFF and cpu.r[3] == 3 * expected & 0xFFFFFFFF
    return elapsed, stop.used, cpu.r[1]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    modes = {
        "interpreter (units)": CpuConfig(trapa="host", blocks=False),
        "block translation": CpuConfig(trapa="host", blocks=True),
    }
    results = {}
    for name, config in modes.items():
        measure(config, 1000)  # warm the shared code cache and the host
        elapsed, used, _ = measure(config, count)
        results[name] = used / elapsed
        print(f"{name:22s} {used:>10,d} instructions in {elapsed:6.3f} s = {used / elapsed / 1e6:6.2f} M instr/s")
    base, fast = results.values()
    print(f"speed-up of block translation: {fast / base:.2f}x")


if __name__ == "__main__":
    main()
