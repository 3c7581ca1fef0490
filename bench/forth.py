"""Forth benchmarks: osvm's forth VM beside gforth and a pure-Python Forth from PyPI, in one run.

    python bench/forth.py               # full run (median of 5)
    python bench/forth.py --quick       # smoke run: small sizes, one repeat
    python bench/forth.py --repeat 9    # more repeats

Each program is written in the words the three systems share (lower case, no
CREATE): recursion, DO loops, BEGIN/WHILE loops, and compiling many definitions
(the text interpreter). Measured, as the median of the repeats:

* ``osvm standalone``: a forth Machine without a kernel (osvm_vm_forth.Standalone);
* ``osvm system``: the same program as the module of a task in an osvm system
  (virt board, quantum 2000 cycles), run by the kernel's dispatch loop, so
  preemption, dispatch and console system calls are included;
* ``gforth``: Debian's gforth as a process (``gforth -e "..."``), start-up included
  (its start-up alone is shown on its own row);
* ``uc-forth``: the pure-Python Forth ``uc-forth`` from PyPI, in process
  (``pip install uc-forth``). Of the PyPI Forths that install, it is the one that
  runs these programs: pyforth has no loops or definitions that call others,
  peforth has no DO loops and no recursion by name.

Only the run is timed (building a machine or a system is not). Every system must
print the same result for a program, or the row says so. No test asserts a
wall-clock figure.
"""

from __future__ import annotations

import argparse
import gc
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FIB = ": fib ( n -- f ) dup 2 < if exit then dup 1 - recurse swap 2 - recurse + ;"
LOOP = ": lp ( n -- x ) 0 swap 0 do i + 65535 and loop ;"
COLLATZ = (": steps ( n -- k ) 0 swap begin dup 1 > while dup 1 and if 3 * 1 + else 2 / then "
           "swap 1 + swap repeat drop ; : total ( n -- t ) 0 swap 1 do i steps + loop ;")


@dataclass
class Program:
    name: str
    what: str
    text: str


def programs(quick: bool) -> list[Program]:
    fib_n = 18 if quick else 24
    loop_n = 20_000 if quick else 300_000
    collatz_n = 300 if quick else 3_000
    defs = 200 if quick else 2_000
    compile_text = "\n".join(f": w{i} {i} dup + drop ;" for i in range(defs)) + f"\nw{defs - 1} {defs} ."
    return [
        Program("fib", f"recursive fib({fib_n})", f"{FIB}\n{fib_n} fib ."),
        Program("do-loop", f"DO loop, {loop_n} iterations", f"{LOOP}\n{loop_n} lp ."),
        Program("collatz", f"BEGIN/WHILE, collatz steps of 1..{collatz_n}", f"{COLLATZ}\n{collatz_n} total ."),
        Program("compile", f"text interpreter: {defs} definitions", compile_text),
    ]


def median_time(run: Callable[[], str], repeat: int) -> tuple[float, str]:
    times = []
    out = ""
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


# ---------------------------------------------------------------- the systems
def osvm_standalone(program: Program) -> Callable[[], str]:
    from osvm_vm_forth.standalone import Standalone

    host = Standalone()
    state: dict[str, int] = {}

    def run() -> str:
        result = host.interpret(program.text)
        state["cycles"] = result.cycles
        return result.output.decode().strip()

    run.state = state  # type: ignore[attr-defined]
    return run


def osvm_system(program: Program) -> Callable[[], str]:
    import osvm_hal_virt.plugin
    import osvm_vm_forth.plugin
    from osvm_core.plugins import load_plugins
    from osvm_core.registry import build_registry
    from osvm_core.system.build import build_system
    from osvm_core.system.spec import parse_system

    plugins = load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin),
                                                      ("vm-forth", osvm_vm_forth.plugin)))
    registry = build_registry(plugins)
    folder = Path(tempfile.mkdtemp(prefix="osvm-bench-forth-"))
    (folder / "prog.fth").write_text(program.text + "\n")
    text = ("[system]\nquantum = 2000\n[hal]\nclock_hz = 10_000_000\nram = '8MiB'\n"
            "[[vm]]\nname = 'forth'\nkind = 'forth'\nmemory = '2MiB'\nload = ['prog.fth']\n"
            "[[task]]\nname = 'prog'\nvm = 'forth'\nentry = 'prog/_start'\n")
    spec = parse_system(tomllib.loads(text), str(folder / "system.toml"), folder)
    state: dict[str, int] = {}

    def run() -> str:
        output = bytearray()
        system = build_system(spec, plugins, registry, console_out=output.extend, diagnostics=lambda s: None)
        start = time.perf_counter()
        report = system.kernel.run()
        state["cycles"] = report.cycles
        state.setdefault("run_times", []).append(time.perf_counter() - start)
        return output.decode().strip()

    run.state = state  # type: ignore[attr-defined]
    return run


def gforth_runner(program: Program, gforth: str) -> Callable[[], str]:
    script = program.text + "\nbye\n"

    def run() -> str:
        done = subprocess.run([gforth], input=script.encode(), capture_output=True, timeout=300)
        text = done.stdout.decode()
        # the interactive banner and echo: keep the number printed by the program
        return _last_number(text)

    return run


def _last_number(text: str) -> str:
    for token in reversed(text.replace("ok", " ").split()):
        if token.lstrip("-").isdigit():
            return token
    return text.strip()


def uc_forth_runner(program: Program) -> Callable[[], str]:
    from uc_forth import create_vm

    def run() -> str:
        vm = create_vm()
        out = ""
        for line in program.text.splitlines():
            out = vm.eval(line)
        return out.replace("ok", "").strip()

    return run


# ---------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Forth benchmarks beside gforth and uc-forth")
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat")
    parser.add_argument("--repeat", type=int, default=None, help="repeats per measure (median; default 5)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 5)
    gforth = shutil.which("gforth")
    try:
        import uc_forth  # noqa: F401
        uc = True
    except ImportError:
        uc = False

    print(f"Forth benchmarks, median of {repeat} (python {platform.python_version()}, {platform.machine()})")
    if gforth is None:
        print("gforth is missing (apt-get install gforth): its column is empty")
    if not uc:
        print("uc-forth is missing (pip install uc-forth): no pure-Python Forth from PyPI in this run")
    if gforth is not None:
        startup, _ = median_time(lambda: subprocess.run([gforth, "-e", "bye"], capture_output=True).stdout.decode(),
                                 repeat)
        print(f"gforth start-up alone: {startup * 1000:.1f} ms (included in its times)")
    header = (f"{'program':<10} {'what':<44} {'osvm standalone':>16} {'osvm system':>12} "
              f"{'Mprim/s':>8} {'gforth':>9} {'uc-forth':>9}  result")
    print(header)
    print("-" * len(header))
    for program in programs(args.quick):
        runner = osvm_standalone(program)
        t_alone, out = median_time(runner, repeat)
        cycles = runner.state["cycles"]  # type: ignore[attr-defined]
        sys_runner = osvm_system(program)
        _, out_sys = median_time(sys_runner, repeat)
        t_sys = statistics.median(sys_runner.state["run_times"])  # type: ignore[attr-defined]
        results = {out, out_sys}
        cells = [f"{t_alone * 1000:>13.1f} ms", f"{t_sys * 1000:>9.1f} ms", f"{cycles / t_alone / 1e6:>8.2f}"]
        if gforth is not None:
            t_g, out_g = median_time(gforth_runner(program, gforth), repeat)
            results.add(out_g)
            cells.append(f"{t_g * 1000:>6.1f} ms")
        else:
            cells.append(f"{'-':>9}")
        if uc:
            t_u, out_u = median_time(uc_forth_runner(program), repeat)
            results.add(out_u)
            cells.append(f"{t_u * 1000:>6.1f} ms")
        else:
            cells.append(f"{'-':>9}")
        agree = out if len(results) == 1 else "DIFFER: " + " / ".join(sorted(results))
        print(f"{program.name:<10} {program.what:<44} " + " ".join(cells) + f"  {agree}")
    print("(Mprim/s: primitives (cycles) per second of the standalone machine; osvm system: the kernel "
          "runs the program as a task, dispatch and system calls included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
