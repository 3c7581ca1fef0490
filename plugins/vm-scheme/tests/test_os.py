"""The Scheme VM in the OS: (osvm) library, cross-VM calls, tasks, preemption, memory limits, time."""

from __future__ import annotations

from scheme_support import scheme_toml

PY_LIB = """
from osvm_vm_python.guest import export, need, write

@export("func(a: s32, b: s32) -> s32")
def add(a, b):
    return a + b

@export("func(words: list<string>) -> tuple<u32, string>")
def describe(words):
    return len(words), "-".join(words)

mean = need("/mod/scheme/stats/mean", "func(xs: list<f64>) -> f64")

@export("func() -> s32")
def main():
    m = yield mean([1.0, 2.0, 4.5])
    yield write(f"python got {m}\\n")
    return 0
"""

STATS = """
(import (scheme base) (scheme write) (osvm))
(define-import py-add "/mod/py/lib/add" "func(a: s32, b: s32) -> s32")
(define-import py-describe "/mod/py/lib/describe" "func(words: list<string>) -> tuple<u32, string>")

(define-export (mean xs) "func(xs: list<f64>) -> f64"
  (/ (apply + xs) (length xs)))

(define-export (main) "func() -> s32"
  (write (py-add 40 2)) (newline)
  (write (py-describe '("a" "b" "c"))) (newline)
  7)
"""

TWO_VMS = """
[hal]
clock_hz = 1000000
timer_period = 0
[[vm]]
name = "py"
kind = "python"
load = ["lib.py"]
[[vm]]
name = "scheme"
kind = "scheme"
load = ["stats.scm"]
[[task]]
name = "s"
vm = "scheme"
entry = "stats/main"
[[task]]
name = "p"
vm = "py"
entry = "lib/main"
[[grant]]
vm = "scheme"
bind = "/mod/py/**"
[[grant]]
vm = "py"
bind = "/mod/scheme/**"
"""


def test_imports_and_exports_across_vms(compose):
    result = compose({"lib.py": PY_LIB, "stats.scm": STATS}, TWO_VMS)
    assert not result.notes, result.notes
    assert "42\n" in result.output and '#(3 "a-b-c")\n' in result.output
    assert "python got 2.5\n" in result.output
    assert result.task("s").exit_code == 7
    entry = result.kernel.names.get("/mod/scheme/stats/mean")
    assert str(entry.signature) == "func(xs: list<f64>) -> f64"


def test_an_import_with_the_wrong_signature_fails_at_link_time(compose):
    import pytest

    from osvm_core.errors import SignatureError
    bad = STATS.replace('"func(a: s32, b: s32) -> s32"', '"func(a: string) -> s32"')
    with pytest.raises(SignatureError):
        compose({"lib.py": PY_LIB, "stats.scm": bad}, TWO_VMS)


def test_a_bad_argument_for_an_import_is_a_scheme_error(compose):
    source = STATS.replace("(write (py-add 40 2))", "(write (guard (e (#t (error-object-message e))) (py-add \"x\" 2)))")
    result = compose({"lib.py": PY_LIB, "stats.scm": source}, TWO_VMS)
    assert '"argument a of /mod/py/lib/add: expected an exact integer (s32)"' in result.output


def test_semaphores_ports_spawn_and_os_errors(scheme):
    result = scheme("""
    (import (scheme base) (scheme write) (osvm))
    (define done (make-semaphore 0 2))
    (define mailbox (make-port 4))
    (spawn "worker" (lambda ()
                      (port-send mailbox (list 1 "two" 3.5))
                      (sem-signal done)))
    (write (port-receive mailbox)) (newline)
    (sem-wait done)
    (write (guard (e ((os-error? e) (os-error-code e))) (sem-wait done 500))) (newline)
    (write (handle-kind (task-self))) (newline)
    (write (sem-count done)) (newline)
    """)
    assert not result.notes, result.notes
    assert result.output == '(1 "two" 3.5)\nE_TMOUT\ntask\n0\n'
    assert result.task("worker").exit_code == 0


def test_bind_at_run_time_and_call_an_os_service_by_path(scheme):
    result = scheme("""
    (import (scheme base) (scheme write) (osvm))
    (define-export (square x) "func(x: s64) -> s64" (* x x))
    (define sq (osvm-bind "/mod/scheme/prog/square" "func(x: s64) -> s64"))
    (write (sq 12)) (newline)
    (write (os-call "/os/time/hz")) (newline)
    (write (map (lambda (e) (vector-ref e 0)) (names-list "/mod/scheme/prog")))
    """)
    assert result.output == '144\n1000000\n("main" "square")'


def test_an_infinite_loop_is_preempted_and_other_tasks_run(compose):
    files = {"spin.scm": "(let loop ((i 0)) (loop (+ i 1)))",
             "worker.scm": "(display \"worker done\") (newline) (exit 3)"}
    tasks = ("[[task]]\nname = 'spin'\nvm = 'scheme'\nentry = 'spin/main'\n"
             "[[task]]\nname = 'worker'\nvm = 'scheme'\nentry = 'worker/main'\n")
    result = compose(files, scheme_toml(["spin.scm", "worker.scm"], tasks=tasks), max_cycles=100_000)
    assert result.report.reason == "max-cycles"
    assert result.output == "worker done\n"
    assert result.task("worker").exit_code == 3
    assert result.task("spin").cycles > 90_000


def test_two_loops_share_the_processor(compose):
    counter = "(define n 0) (let loop () (set! n (+ n 1)) (if (= (modulo n 5000) 0) (begin (display \"{0}\") " \
              "(flush-output-port))) (loop))"
    files = {"a.scm": counter.format("a"), "b.scm": counter.format("b")}
    tasks = ("[[task]]\nname = 'a'\nvm = 'scheme'\nentry = 'a/main'\n"
             "[[task]]\nname = 'b'\nvm = 'scheme'\nentry = 'b/main'\n")
    result = compose(files, scheme_toml(["a.scm", "b.scm"], tasks=tasks), max_cycles=400_000)
    assert "a" in result.output and "b" in result.output
    assert abs(result.task("a").cycles - result.task("b").cycles) < 10_000


def test_deep_recursion_is_bounded_by_the_memory_limit(scheme):
    program = """
    (define (count n) (if (= n 0) 0 (+ 1 (count (- n 1)))))
    (write (count 1000)) (newline)
    (write (guard (e (#t (error-object-message e))) (count 50000)))
    """
    result = scheme(program, memory="256KiB")
    assert result.output.startswith("1000\n\"continuation too deep: more than 2048 frames")
    result = scheme(program, memory="12MiB")
    assert result.output == "1000\n50000"


def test_max_depth_option(scheme):
    result = scheme("(define (count n) (if (= n 0) 0 (+ 1 (count (- n 1))))) (count 1000)",
                    options="{ max_depth = 500 }")
    assert "more than 500 frames" in result.notes[0]


def test_big_allocations_respect_the_memory_limit(scheme):
    result = scheme("(write (guard (e (#t (error-object-message e))) (make-vector 10000000)))", memory="1MiB")
    assert "out of memory" in result.output


def test_console_output_is_written_by_lines_through_system_calls(compose):
    files = {"a.scm": "(display \"a1 \") (display \"a2\") (newline) (display \"a3\") (newline)",
             "b.scm": "(display \"b1\") (newline)"}
    tasks = ("[[task]]\nname = 'a'\nvm = 'scheme'\nentry = 'a/main'\n"
             "[[task]]\nname = 'b'\nvm = 'scheme'\nentry = 'b/main'\n")
    result = compose(files, scheme_toml(["a.scm", "b.scm"], tasks=tasks))
    assert sorted(result.output.splitlines()) == ["a1 a2", "a3", "b1"]
    assert result.kernel.service_cycles >= 3 * 20


def test_time_comes_from_the_simulated_clock(scheme):
    result = scheme("""
    (import (scheme base) (scheme write) (scheme time))
    (define t0 (current-jiffy))
    (let loop ((i 0)) (if (< i 1000) (loop (+ i 1))))
    (define t1 (current-jiffy))
    (write (list (jiffies-per-second) (> t1 t0) (exact? t0) (inexact? (current-second))))
    """)
    assert result.output == "(1000000 #t #t #t)"
    again = result.kernel.board.now()
    assert again == result.report.cycles


def test_runs_are_deterministic(compose):
    files = {"a.scm": "(import (scheme base) (scheme write) (scheme time) (osvm))"
                      "(let loop ((i 0)) (when (< i 3) (write (list i (current-jiffy) (random 100))) (newline) "
                      "(loop (+ i 1))))"}
    first = compose(files, scheme_toml(["a.scm"]))
    second = compose(files, scheme_toml(["a.scm"]))
    assert first.output == second.output and first.report.cycles == second.report.cycles


def test_a_module_initialises_once_for_every_task(compose):
    files = {"shared.scm": """
        (import (scheme base) (scheme write) (osvm))
        (define inits 0)
        (set! inits (+ inits 1))
        (display "init ") (newline)
        (define-export (hello) "func() -> s32" (display "hello ") (display inits) (newline) inits)"""}
    tasks = "".join(f"[[task]]\nname = 't{i}'\nvm = 'scheme'\nentry = 'shared/hello'\n" for i in range(3))
    result = compose(files, scheme_toml(["shared.scm"], tasks=tasks))
    assert result.output.count("init") == 1 and result.output.count("hello 1") == 3


def test_timer_interrupts_arrive_as_messages_and_tasks_come_from_exports(compose):
    files = {"ticks.scm": """
        (import (scheme base) (scheme write) (osvm))
        (define-export (worker) "func()"
          (display "worker from an export") (newline))
        (define-export (main) "func() -> s32"
          (task-activate (task-create "w" "/mod/scheme/ticks/worker" 2))
          (let ((timer (port-open "timer0")))
            (let loop ((n 0))
              (when (< n 3)
                (let ((tick (port-receive timer)))
                  (display (list 'tick tick (>= (now) (* tick 5000)))) (newline))
                (loop (+ n 1)))))
          0)"""}
    toml = scheme_toml(["ticks.scm"], timer=5000)
    result = compose(files, toml)
    assert not result.notes, result.notes
    assert result.output.splitlines() == ["worker from an export", "(tick 1 #t)", "(tick 2 #t)", "(tick 3 #t)"]
