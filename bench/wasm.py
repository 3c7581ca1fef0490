"""WebAssembly benchmark: osvm's wasm engine beside pywasm and wasmtime on the same modules.

    python bench/wasm.py               # full run: median of 3 runs per engine and kernel
    python bench/wasm.py --quick       # smoke run: small inputs, one run, a few seconds
    python bench/wasm.py --repeat 5 --only fib,crc32

The kernels are exports of ``plugins/vm-wasm/examples/bench.wasm`` (C, clang -O2):

* ``fib(n)``: naive recursion -- calls and returns dominate;
* ``sieve(n)``: sieve of Eratosthenes over a byte array -- loads, stores, branches;
* ``matmul(n)``: n x n double-precision matrix multiply -- f64 arithmetic and loads;
* ``crc32(n)``: table-driven CRC-32 of n bytes -- i32 bit operations, table lookups.

Instructions are counted by osvm's cost model (one per executed instruction of the
pre-decoded form: wasm instructions, except that ``block``, ``loop``, ``end`` and ``nop``
are free and a fused ``local.get; const; binop`` counts once), measured once per kernel
with osvm's engine; every engine's rate is that count over its own median wall time, so the
ratios are ratios of speed on identical work. osvm runs the way the kernel runs it:
``Thread.run`` in slices of 10 000 cycles. wasmtime compiles to native code (its figure is
there for scale); pywasm is a pure-Python interpreter like ours. A missing engine is reported,
not fatal. Benchmarks read the host clock; the engines never do, and no test asserts a figure.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULE = ROOT / "plugins" / "vm-wasm" / "examples" / "bench.wasm"
SLICE = 10_000

#: name, full argument, quick argument
KERNELS = [
    ("fib", 24, 16),
    ("sieve", 60_000, 5_000),
    ("matmul", 40, 12),
    ("crc32", 40_000, 4_000),
]


def _osvm_runner(data: bytes) -> Callable[[str, int], tuple[int, int]]:
    from osvm_vm_wasm import Engine, load
    from osvm_vm_wasm.exec import Finished, Trapped

    module = load(data)

    def run(export: str, arg: int) -> tuple[int, int]:
        engine = Engine()
        instance = engine.instantiate(module)
        thread = engine.thread(instance.exports[export], [arg])
        while True:
            event = thread.run(SLICE)
            if isinstance(event, Finished):
                value = event.results[0]
                return (value - (1 << 32) if value & 0x80000000 else value), thread.cycles
            if isinstance(event, Trapped):
                raise event.error

    return run


def _pywasm_runner(path: Path) -> Callable[[str, int], int] | str:
    try:
        import pywasm
    except ImportError:
        return "not installed (pip install pywasm)"

    with open(path, "rb") as f:
        module = pywasm.core.ModuleDesc.from_reader(f)

    def run(export: str, arg: int) -> int:
        runtime = pywasm.core.Runtime()
        instance = runtime.instance(module)
        return runtime.invocate(instance, export, [arg])[0]

    return run


def _wasmtime_runner(path: Path) -> Callable[[str, int], int] | str:
    try:
        import wasmtime
    except ImportError:
        return "not installed (pip install wasmtime)"
    engine = wasmtime.Engine()
    module = wasmtime.Module.from_file(engine, str(path))

    def run(export: str, arg: int) -> int:
        store = wasmtime.Store(engine)
        instance = wasmtime.Instance(store, module, [])
        return instance.exports(store)[export](store, arg)

    return run


def _time(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, one run each")
    parser.add_argument("--repeat", type=int, default=None, help="runs per engine and kernel (median)")
    parser.add_argument("--only", default="", help="comma-separated kernels (fib,sieve,matmul,crc32)")
    options = parser.parse_args(argv)
    repeat = options.repeat or (1 if options.quick else 3)
    only = {name for name in options.only.split(",") if name}
    data = MODULE.read_bytes()

    osvm = _osvm_runner(data)
    others = {"pywasm": _pywasm_runner(MODULE), "wasmtime": _wasmtime_runner(MODULE)}
    print(f"wasm benchmark: {MODULE.relative_to(ROOT)}, {'quick' if options.quick else 'full'} run, "
          f"median of {repeat}; Python {platform.python_version()} on {platform.machine()}")
    for name, runner in others.items():
        if isinstance(runner, str):
            print(f"  {name}: {runner}")
    header = (f"{'kernel':<14} {'instructions':>13} {'osvm M/s':>9} {'pywasm M/s':>11} {'wasmtime M/s':>13} "
              f"{'osvm/pywasm':>12} {'wasmtime/osvm':>14}")
    print(header)
    print("-" * len(header))
    for name, full, quick in KERNELS:
        if only and name not in only:
            continue
        arg = quick if options.quick else full
        seconds, (value, instructions) = _time(lambda name=name, arg=arg: osvm(name, arg), repeat)
        rates = {"osvm": instructions / seconds / 1e6}
        for engine, runner in others.items():
            if isinstance(runner, str):
                continue
            their_seconds, their_value = _time(lambda runner=runner, name=name, arg=arg: runner(name, arg),
                                               repeat)
            if their_value != value:
                print(f"  {engine} disagrees on {name}({arg}): {their_value} != {value}", file=sys.stderr)
                return 1
            rates[engine] = instructions / their_seconds / 1e6

        def cell(engine: str, width: int, rates: dict[str, float] = rates) -> str:
            return f"{rates[engine]:>{width}.2f}" if engine in rates else f"{'-':>{width}}"

        ratio_py = f"{rates['osvm'] / rates['pywasm']:>11.1f}x" if "pywasm" in rates else f"{'-':>12}"
        ratio_wt = f"{rates['wasmtime'] / rates['osvm']:>13.0f}x" if "wasmtime" in rates else f"{'-':>14}"
        label = f"{name}({arg})"
        print(f"{label:<14} {instructions:>13,} {cell('osvm', 9)} {cell('pywasm', 11)} {cell('wasmtime', 13)} "
              f"{ratio_py} {ratio_wt}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
