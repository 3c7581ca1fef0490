"""SH-3 guest speed: our integer kernels on osvm's SH-3 board beside qemu-sh4, the same binaries.

    python bench/sh3.py                 # median of 3 runs per kernel, about half a minute
    python bench/sh3.py --quick         # one run each, qemu scaled less: a few seconds
    python bench/sh3.py --runs 5 --only qsort,fib

The kernels are the C programs in plugins/vm-native/guest/bench (sieve, CRC-32, quicksort,
integer matrix product, recursive Fibonacci, string routines), built once for the Linux SH
system-call ABI (guest/bin/linux/*.elf). osvm runs each as a task of the native VM on the sh3
board, the whole OS in the loop (default quantum, TMU0 ticking), through the VM's Linux
compatibility traps; the CPU counts the instructions. qemu-sh4 runs the very same file with
argv[1] = K, which makes the kernel do K times its work so that qemu runs long enough to be
timed; its time is the median of K-fold runs minus the median of runs with K = 0 (process start
and setup), and its instruction count is K times ours (the setup outside the repeated rounds is a
fraction of a percent). MIPS = millions of guest instructions per second of host time.

Benchmarks read the host clock; osvm never does, and no test asserts a wall-clock figure.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "plugins" / "vm-native" / "guest" / "bin" / "linux"
KERNELS = ("sieve", "crc", "qsort", "matmul", "fib", "strops")


def plugin_set():
    import osvm_hal_sh3.plugin
    import osvm_vm_native.plugin
    from osvm_core.plugins import load_plugins
    from osvm_core.registry import build_registry

    plugins = load_plugins(entry_points=False, extra=(("hal-sh3", osvm_hal_sh3.plugin),
                                                      ("vm-native", osvm_vm_native.plugin)))
    return plugins, build_registry(plugins)


def run_osvm(path: Path, plugins, registry) -> tuple[float, int, str]:
    """Seconds of kernel.run, guest instructions, console output."""
    from osvm_core.system.build import build_system
    from osvm_core.system.spec import ModuleSpec, SystemSpec, VMSpec

    out = bytearray()
    spec = SystemSpec(file=f"<bench {path.name}>", hal="sh3",
                      vms=[VMSpec("native", "native", modules=[ModuleSpec(path.stem, path)])])
    kernel = build_system(spec, plugins, registry, console_out=out.extend).kernel
    task = kernel.create_task("main", "native", kernel.names.get(f"/mod/native/{path.stem}/main"))
    kernel.activate(task)
    before = kernel.board.cpu.instructions
    start = time.perf_counter()
    kernel.run()
    elapsed = time.perf_counter() - start
    if task.fault is not None or task.exit_code != 0:
        raise SystemExit(f"{path.name} failed on osvm: {task.fault or task.exit_code}")
    return elapsed, kernel.board.cpu.instructions - before, out.decode()


def run_qemu(qemu: str, path: Path, scale: int) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([qemu, str(path), str(scale)], capture_output=True, timeout=300)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{path.name} failed under qemu-sh4 (status {done.returncode})")
    return elapsed, done.stdout.decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run each, smaller qemu scale")
    parser.add_argument("--runs", type=int, help="runs per kernel and engine (default 3, quick 1)")
    parser.add_argument("--only", help="comma-separated kernels (default: all)")
    parser.add_argument("--qemu-scale", type=int, help="K for qemu-sh4 (default 40, quick 10)")
    options = parser.parse_args()
    runs = options.runs or (1 if options.quick else 3)
    scale = options.qemu_scale or (10 if options.quick else 40)
    kernels = options.only.split(",") if options.only else list(KERNELS)
    for name in kernels:
        if name not in KERNELS:
            parser.error(f"unknown kernel {name!r} (kernels: {', '.join(KERNELS)})")
        if not (BIN / f"{name}.elf").exists():
            raise SystemExit(f"{BIN / name}.elf is missing: run make -C plugins/vm-native/guest")
    qemu = shutil.which("qemu-sh4")
    plugins, registry = plugin_set()

    print(f"SH-3 guest speed, {runs} run(s) per kernel, medians; Python {platform.python_version()} "
          f"on {platform.machine()}")
    if qemu is None:
        print("qemu-sh4 is missing (apt-get install qemu-user): osvm figures only")
    else:
        print(f"qemu-sh4: {subprocess.run([qemu, '--version'], capture_output=True, text=True).stdout.split(chr(10))[0]}"
              f"; K = {scale}")
    header = (f"{'kernel':8} {'instructions':>13} {'osvm s':>8} {'osvm MIPS':>10} "
              f"{'qemu s':>8} {'qemu MIPS':>10} {'qemu/osvm':>10}")
    print(header)
    print("-" * len(header))
    ours: list[float] = []
    theirs: list[float] = []
    for name in kernels:
        path = BIN / f"{name}.elf"
        samples = [run_osvm(path, plugins, registry) for _ in range(runs)]
        seconds = statistics.median(s[0] for s in samples)
        count = samples[0][1]
        output = samples[0][2]
        mips = count / seconds / 1e6
        ours.append(mips)
        row = f"{name:8} {count:>13,} {seconds:>8.3f} {mips:>10.2f}"
        if qemu is not None:
            base = statistics.median(run_qemu(qemu, path, 0)[0] for _ in range(runs))
            timed = [run_qemu(qemu, path, scale) for _ in range(runs)]
            single, single_out = run_qemu(qemu, path, 1)
            if single_out != output:
                raise SystemExit(f"{name}: qemu-sh4 printed {single_out!r}, osvm printed {output!r}")
            net = max(statistics.median(t for t, _ in timed) - base, 1e-6)
            qemu_mips = scale * count / net / 1e6
            theirs.append(qemu_mips)
            row += f" {net:>8.3f} {qemu_mips:>10.1f} {qemu_mips / mips:>10.0f}x"
        print(row)
    print("-" * len(header))
    summary = f"{'median':8} {'':>13} {'':>8} {statistics.median(ours):>10.2f}"
    if theirs:
        summary += f" {'':>8} {statistics.median(theirs):>10.1f}"
    print(summary)
    print("same output from both engines for every kernel" if theirs else "")


if __name__ == "__main__":
    sys.exit(main())
