"""Instructions per second of the executor on two kernels: ``python -m osvm_vm_wasm.bench``.

``sum``: an i32 counting loop (locals, adds, compare, br_if); ``fib``:
naive recursion (calls and returns dominate). Cycles are the executor's
cost model (one per compact instruction), so the rate is comparable with
the kernel's simulated time.
"""

from __future__ import annotations

import sys
import time

from .asm import fib_module, sum_loop_module
from .engine import Engine, load


def measure(wasm: bytes, export: str, arg: int, budget: int) -> tuple[tuple[int, ...], int, float, int]:
    """Run to completion in slices of ``budget``; return (results, cycles, seconds, slices)."""
    e = Engine()
    inst = e.instantiate(load(wasm))
    t = e.thread(inst.exports[export], [arg])
    slices = 0
    start = time.perf_counter()
    while True:
        ev = t.run(budget)
        slices += 1
        if hasattr(ev, "results"):
            break
    return ev.results, t.cycles, time.perf_counter() - start, slices


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    budget = int(args[0]) if args else 10_000
    for label, wasm, export, arg in (("sum(3_000_000)", sum_loop_module(), "sum", 3_000_000),
                                     ("fib(27)", fib_module(), "fib", 27)):
        results, cycles, seconds, slices = measure(wasm, export, arg, budget)
        print(f"{label:16} result {results[0]:>11}  {cycles:>10} cycles  {seconds:6.2f} s  "
              f"{cycles / seconds / 1e6:5.2f} M instr/s  ({slices} slices of {budget})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
