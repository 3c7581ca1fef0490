"""Scheme benchmarks: osvm's scheme VM beside guile and a pure-Python Scheme from PyPI, in one run.

    python bench/scheme.py               # full run: scaled-down inputs, median of 3
    python bench/scheme.py --quick       # smoke run: small inputs, one repeat
    python bench/scheme.py --repeat 5    # more repeats
    python bench/scheme.py --only fib,tak

The programs are the r7rs-benchmarks files in $OSVM_TESTDATA/scheme/bench (else
../shared/testdata/scheme/bench), unchanged, with a prelude of this project's own
(``run-r7rs-benchmark`` runs the thunk COUNT times and checks the last result; ``hide``
returns its argument) and inputs scaled down for an interpreter written in Python (the
table ``INPUTS``; expected results from the test data's README). Measured, as the median of
the repeats, only the run (not start-up, loading or compiling):

* ``osvm``: the program as the task of an osvm system (virt board, timer off), timed
  around ``kernel.run()``; ``cycles`` are the machine steps the scheme VM charged;
* ``guile``: Debian's guile (``guile --r7rs``), timed inside the program with
  ``current-jiffy`` around the benchmark (guile's jiffies are real time);
* ``skime``: the pure-Python Scheme ``skime`` from PyPI (``pip install skime``), in
  process: the definitions are loaded, then ``(run-benchmark)`` is timed. It has no
  ``import``, ``when``/``unless`` or string ports, so its prelude adds ``when``/``unless``
  and a ``read`` that returns the input data in order. Of the PyPI Schemes that install,
  it is the one that runs these programs (trick-scheme's wheel lacks its standard
  library; schemepy and lizpop are Python 2).

Every system must compute the expected result, or its cell says what went wrong.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name -> (full inputs, quick inputs): each is (count, [inputs...], expected result text)
INPUTS: dict[str, tuple[tuple[int, list[str], str], tuple[int, list[str], str]]] = {
    "fib": ((1, ["25"], "75025"), (1, ["15"], "610")),
    "tak": ((2, ["18", "12", "6"], "7"), (1, ["12", "8", "4"], "5")),
    "ack": ((1, ["3", "6"], "509"), (1, ["2", "3"], "9")),
    "nqueens": ((3, ["8"], "92"), (1, ["6"], "4")),
    "primes": ((100, ["100"], "(2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 53 59 61 67 71 73 79 83 89 97)"),
               (5, ["100"], "(2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 53 59 61 67 71 73 79 83 89 97)")),
    "deriv": ((3000, ["(+ (* 3 x x) (* a x x) (* b x) 5)"], None), (50, ["(+ (* 3 x x) (* a x x) (* b x) 5)"], None)),
    "ctak": ((1, ["18", "12", "6"], "7"), (1, ["12", "8", "4"], "5")),
    "sum": ((100, ["1000"], "500500"), (2, ["1000"], "500500")),
    "string": ((10, ["50000"], "65526"), (1, ["5000"], "8182")),
    "destruc": ((5, ["600", "50"], None), (1, ["600", "50"], None)),
}
ORDER = ["fib", "tak", "ack", "nqueens", "primes", "deriv", "ctak", "sum", "string", "destruc"]

PRELUDE = """
(define (hide r x) x)
(define (run-r7rs-benchmark name count thunk ok?)
  (let ((start (current-jiffy)))
    (let loop ((i 0) (result #f))
      (if (< i count)
          (loop (+ i 1) (thunk))
          (let ((elapsed (- (current-jiffy) start)))
            (display (if (ok? result) "ok " "incorrect-result "))
            (write elapsed) (display " ") (write (jiffies-per-second)) (newline)
            (write result) (newline))))))
"""

SKIME_PRELUDE = """
(define (error msg . irritants) (car '()))
(define-syntax when (syntax-rules () ((_ c e ...) (if c (begin e ...) #f))))
(define-syntax unless (syntax-rules () ((_ c e ...) (if c #f (begin e ...)))))
(define (hide r x) x)
(define (read . port) (let ((x (car %inputs))) (set! %inputs (cdr %inputs)) x))
(define (current-jiffy) 0)
(define (jiffies-per-second) 1)
"""


@dataclass
class Bench:
    name: str
    count: int
    inputs: list[str]
    expected: str | None      # None: the file's own expected result (read from its .input)
    source: str
    input_text: str


def bench_dir() -> Path | None:
    base = os.environ.get("OSVM_TESTDATA")
    folder = Path(base) / "scheme" / "bench" if base else ROOT.parent / "shared" / "testdata" / "scheme" / "bench"
    return folder if folder.is_dir() else None


def make_bench(folder: Path, name: str, quick: bool) -> Bench:
    count, inputs, expected = INPUTS[name][1 if quick else 0]
    source = (folder / f"{name}.scm").read_text()
    if expected is None:        # keep the input and the expected result of the file, lower the count only
        original = _data(folder / f"{name}.input")
        expected_text = original[1 + len(inputs)]
    else:
        expected_text = expected
    input_text = "\n".join([str(count), *inputs, expected_text]) + "\n"
    return Bench(name, count, inputs, expected_text, source, input_text)


def _data(path: Path) -> list[str]:
    """The data of an .input file as texts (a small reader for numbers, symbols and lists)."""
    text = path.read_text()
    out, depth, start, i = [], 0, None, 0
    while i < len(text):
        c = text[i]
        if c == ";":
            i = text.find("\n", i)
            if i < 0:
                break
            continue
        if c == "(":
            if depth == 0:
                start = i
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                out.append(text[start:i + 1])
        elif not c.isspace() and depth == 0:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in "()":
                j += 1
            out.append(text[i:j])
            i = j
            continue
        i += 1
    return out


def _check(output: str) -> tuple[bool, str]:
    lines = output.strip().splitlines()
    ok = bool(lines) and lines[0].startswith("ok ")
    return ok, (lines[0] if lines else output.strip() or "no output")


def full_program(bench: Bench) -> str:
    """The benchmark file, the prelude, and a driver reading the inputs from a string port."""
    quoted = bench.input_text.replace("\\", "\\\\").replace('"', '\\"')
    driver = f'(parameterize ((current-input-port (open-input-string "{quoted}"))) (run-benchmark))\n'
    return bench.source + "\n" + PRELUDE + driver


# ---------------------------------------------------------------- the systems
class OsvmRunner:
    def __init__(self, bench: Bench) -> None:
        import osvm_hal_virt.plugin
        import osvm_vm_scheme.plugin
        from osvm_core.plugins import load_plugins
        from osvm_core.registry import build_registry
        from osvm_core.system.spec import parse_system

        self.plugins = load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin),
                                                               ("vm-scheme", osvm_vm_scheme.plugin)))
        self.registry = build_registry(self.plugins)
        folder = Path(tempfile.mkdtemp(prefix="osvm-bench-scheme-"))
        (folder / f"{bench.name}.scm").write_text(full_program(bench))
        text = ("[system]\nquantum = 2000\n[hal]\nclock_hz = 10_000_000\nram = '32MiB'\ntimer_period = 0\n"
                f"[[vm]]\nname = 'scheme'\nkind = 'scheme'\nmemory = '24MiB'\nload = ['{bench.name}.scm']\n"
                f"[[task]]\nname = 'bench'\nvm = 'scheme'\nentry = '{bench.name}/main'\n")
        self.spec = parse_system(tomllib.loads(text), str(folder / "system.toml"), folder)
        self.cycles = 0
        self.bench = bench

    def run(self) -> tuple[float, str]:
        from osvm_core.system.build import build_system

        output = bytearray()
        notes: list[str] = []
        system = build_system(self.spec, self.plugins, self.registry, console_out=output.extend,
                              diagnostics=notes.append)
        gc.collect()
        start = time.perf_counter()
        report = system.kernel.run()
        elapsed = time.perf_counter() - start
        self.cycles = report.cycles
        text = output.decode() + "".join(notes)
        return elapsed, text


def guile_run(bench: Bench, guile: str) -> tuple[float, str]:
    with tempfile.NamedTemporaryFile("w", suffix=".scm", delete=False) as handle:
        handle.write(full_program(bench))
        path = handle.name
    try:
        done = subprocess.run([guile, "--r7rs", "-q", path], capture_output=True, text=True, timeout=600,
                              env={**os.environ, "GUILE_AUTO_COMPILE": "1", "LANG": "C.UTF-8"})
    finally:
        os.unlink(path)
    text = done.stdout
    m = re.match(r"ok (\d+) (\d+)", text)
    if not m:
        return float("nan"), text + done.stderr[-300:]
    return int(m.group(1)) / int(m.group(2)), text


SKIME_DRIVER = """
(define (run-r7rs-benchmark name count thunk ok?)
  (let loop ((i 0) (result #f))
    (if (< i count) (loop (+ i 1) (thunk)) (ok? result))))
"""


def skime_run(bench: Bench) -> tuple[float, str]:
    from skime.vm import VM

    vm = VM()
    inputs = " ".join([str(bench.count), *bench.inputs, bench.expected or ""])
    body = _without_import(bench.source)
    try:
        prelude = f"(define %inputs '({inputs}))\n" + SKIME_PRELUDE + SKIME_DRIVER
        forms = _top_level_forms(body)
        # skime resolves global names when it compiles a definition: define them all first
        names = [m.group(1) for f in forms if (m := re.match(r"\(define\s+\(?([^\s()]+)", f))]
        for form in _top_level_forms(prelude) + [f"(define {n} #f)" for n in names] + forms:
            vm.eval_string(form)
        gc.collect()
        start = time.perf_counter()
        ok = vm.eval_string("(run-benchmark)")
        elapsed = time.perf_counter() - start
    except Exception as error:  # noqa: BLE001 - any failure of the peer is shown in its cell
        return float("nan"), f"{type(error).__name__}: {str(error)[:80]}"
    return (elapsed, "ok") if ok is True else (float("nan"), f"incorrect result ({ok!r})")


def _without_import(source: str) -> str:
    forms = _top_level_forms(source)
    return "\n".join(f for f in forms if not f.lstrip().startswith("(import"))


def _top_level_forms(source: str) -> list[str]:
    """The top-level forms of a program as texts (strings, characters and comments respected)."""
    forms, depth, start, i, n = [], 0, None, 0, len(source)
    while i < n:
        c = source[i]
        if c == ";":
            while i < n and source[i] != "\n":
                i += 1
            continue
        if c == '"':
            i += 1
            while i < n and source[i] != '"':
                i += 2 if source[i] == "\\" else 1
        elif c == "#" and source.startswith("#\\", i):
            i += 3
            continue
        elif c == "(":
            if depth == 0:
                start = i
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                forms.append(source[start:i + 1])
        i += 1
    return forms


def _ratio(a: float, b: float) -> str:
    if not (a == a and b == b and b > 0):
        return f"{'-':>10}"
    r = a / b
    return f"{r:>9.1f}x" if r < 10 else f"{r:>9.0f}x"


def _cell(value: float, available: bool) -> str:
    if not available:
        return f"{'-':>9}"
    return f"{value:>8.3f}s" if value == value else f"{'error':>9}"


def median(values: list[float]) -> float:
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


# ---------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Scheme benchmarks beside guile and skime")
    parser.add_argument("--quick", action="store_true", help="small inputs, one repeat")
    parser.add_argument("--repeat", type=int, default=None, help="repeats per measure (median; default 3)")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    args = parser.parse_args(argv)
    folder = bench_dir()
    if folder is None:
        print("no benchmark files: set OSVM_TESTDATA to a folder with scheme/bench (skipped)")
        return 0
    repeat = args.repeat or (1 if args.quick else 3)
    names = [n for n in ORDER if not args.only or n in args.only.split(",")]
    guile = shutil.which("guile") or shutil.which("guile-3.0")
    try:
        import skime  # noqa: F401
        have_skime = True
    except ImportError:
        have_skime = False
    print(f"Scheme benchmarks, median of {repeat} (python {platform.python_version()}, {platform.machine()})")
    if guile is None:
        print("guile is missing (apt-get install guile-3.0): its column is empty")
    if not have_skime:
        print("skime is missing (pip install skime): no pure-Python Scheme from PyPI in this run")
    header = (f"{'benchmark':<9} {'input':<22} {'count':>5} {'osvm':>9} {'Mcycles':>8} {'guile':>9} {'skime':>9} "
              f"{'osvm/guile':>10} {'skime/osvm':>10}")
    print(header)
    print("-" * len(header))
    failed = False
    for name in names:
        bench = make_bench(folder, name, args.quick)
        osvm = OsvmRunner(bench)
        times: dict[str, list[float]] = {"osvm": [], "guile": [], "skime": []}
        notes: dict[str, str] = {}
        for _ in range(repeat):            # the systems take turns, so a busy host slows all alike
            t, text = osvm.run()
            ok, what = _check(text)
            times["osvm"].append(t if ok else float("nan"))
            if not ok:
                notes["osvm"] = what
            if guile is not None:
                t, text = guile_run(bench, guile)
                ok, what = _check(text)
                times["guile"].append(t if ok else float("nan"))
                if not ok:
                    notes["guile"] = what
            if have_skime:
                t, text = skime_run(bench)
                ok = t == t
                times["skime"].append(t if ok else float("nan"))
                if not ok:
                    notes["skime"] = text
        m = {k: median(v) for k, v in times.items()}
        cells = {"osvm": _cell(m["osvm"], True), "guile": _cell(m["guile"], guile is not None),
                 "skime": _cell(m["skime"], have_skime)}
        ratio_g = _ratio(m["osvm"], m["guile"])
        ratio_s = _ratio(m["skime"], m["osvm"])
        what = " ".join(bench.inputs)
        print(f"{name:<9} {what[:22]:<22} {bench.count:>5} {cells['osvm']} {osvm.cycles / 1e6:>8.2f} "
              f"{cells['guile']} {cells['skime']} {ratio_g} {ratio_s}")
        for key, note in notes.items():
            print(f"    {key}: {note[:100]}")
        failed = failed or "osvm" in notes
    print("(seconds of the run only; Mcycles: millions of steps the scheme VM charged, on the simulated clock)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
