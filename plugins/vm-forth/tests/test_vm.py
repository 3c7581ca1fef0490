"""The forth VM in osvm systems: modules, exports and imports, OS words, preemption, memory."""

from __future__ import annotations

import pytest

from osvm_core.system.spec import SystemFileError

MATH = """\
IMPORT padd /mod/py/lib/add func(a: s32, b: s32) -> s32
: square ( n -- n*n ) DUP * ;
EXPORT square func(x: s32) -> s32
CREATE gbuf 64 ALLOT
: greet ( c-addr u -- c-addr u )  S" hello, " gbuf SWAP MOVE  DUP >R gbuf 7 + SWAP MOVE  gbuf R> 7 + ;
EXPORT greet func(name: string) -> string
: main ( -- 0 )  40 2 padd . ." from forth" CR 0 ;
EXPORT main func() -> s32
"""
LIB = """\
from osvm_vm_python.guest import export, need, write
square = need("/mod/fo/mathx/square", "func(x: s32) -> s32")
greet = need("/mod/fo/mathx/greet", "func(name: string) -> string")

@export("func(a: s32, b: s32) -> s32")
def add(a, b):
    return a + b

@export("func() -> s32")
def main():
    v = yield square(12)
    g = yield greet("osvm")
    yield write(f"py: square(12)={v} greet={g}\\n")
    return 0
"""
ADDLIB = """\
from osvm_vm_python.guest import export

@export("func(a: s32, b: s32) -> s32")
def add(a, b):
    return a + b
"""
GRANTS = """
[[grant]]
vm = "fo"
bind = "/mod/py/**"
[[grant]]
vm = "py"
bind = "/mod/fo/**"
"""


def task(name: str, vm: str, entry: str, priority: int = 1) -> str:
    return f"[[task]]\nname = '{name}'\nvm = '{vm}'\nentry = '{entry}'\npriority = {priority}\n"


def test_calls_both_ways_between_forth_and_python(compose):
    kernel, out = compose({"mathx.fth": MATH, "lib.py": LIB},
                          task("f", "fo", "mathx/main") + task("p", "py", "lib/main") + GRANTS)
    assert kernel.run().reason == "finished"
    assert sorted(out.decode().splitlines()) == ["42 from forth", "py: square(12)=144 greet=hello, osvm"]
    assert kernel.names.get("/mod/fo/mathx/square") is not None
    assert kernel.names.get("/mod/fo/mathx/_start") is not None


def test_exports_are_published_when_loading_and_signatures_checked_at_link(compose):
    bad = MATH.replace("func(a: s32, b: s32) -> s32", "func(a: s32) -> s32")
    with pytest.raises(Exception, match="padd|add|expected"):
        compose({"mathx.fth": bad, "lib.py": LIB}, GRANTS)


def test_a_signature_forth_cannot_express_is_refused_naming_file_and_line(compose):
    with pytest.raises(Exception, match=r"m\.fth:2.*f64"):
        compose({"m.fth": ": x ;\nEXPORT x func(v: f64)\n"})


def test_the_file_is_interpreted_once_by_the_first_task_that_needs_it(compose):
    source = ('." loading" CR\n: spin 3000 0 DO LOOP ;\nspin\n'
              ': one ." one" CR 0 ; EXPORT one func() -> s32\n'
              ': two ." two" CR 0 ; EXPORT two func() -> s32\n')
    kernel, out = compose({"m.fth": source}, task("a", "fo", "m/one") + task("b", "fo", "m/two"))
    assert kernel.run().reason == "finished"
    assert out.decode() == "loading\none\ntwo\n"


def test_an_infinite_loop_is_preempted_and_other_tasks_run(compose):
    source = (": spin BEGIN AGAIN ; EXPORT spin func() -> s32\n"
              ": tick 5 0 DO I . 1000 DELAY LOOP CR 0 ; EXPORT tick func() -> s32\n")
    python = ("from osvm_vm_python.guest import export, write, work\n"
              "@export('func() -> s32')\ndef main():\n    yield work(3000)\n    yield write('python ran\\n')\n"
              "    return 0\n")
    kernel, out = compose({"m.fth": source, "p.py": python},
                          task("spinner", "fo", "m/spin") + task("ticker", "fo", "m/tick")
                          + task("p", "py", "p/main"))
    report = kernel.run(max_cycles=200_000)
    assert report.reason == "max-cycles"
    assert "python ran\n" in out.decode()
    assert out.decode().replace("python ran\n", "") == "0 1 2 3 4 \n"
    spinner = kernel.objects.get("task", "spinner")
    assert spinner.state.value in ("ready", "running") and spinner.cycles > 100_000


def test_receive_timer_ticks_from_dev_timer0(compose):
    source = ': main  S" timer0" PORT-OPEN  3 0 DO DUP RECEIVE . LOOP DROP CR 0 ;\nEXPORT main func() -> s32\n'
    kernel, out = compose({"w.fth": source}, task("w", "fo", "w/main"), hal="timer_period = 10000")
    assert kernel.run().reason == "finished"
    assert out.decode() == "1 2 3 \n"


def test_semaphores_between_forth_and_python(compose):
    waiter = (': main  S" go" SEM-OPEN DUP SEM-WAIT ." got it at " NOW D. CR\n'
              '  DUP 100 SEM-WAIT-TIMEOUT . SEM-COUNT . CR 0 ;\nEXPORT main func() -> s32\n')
    signaller = ("from osvm_vm_python.guest import export, sem, work\n"
                 "@export('func() -> s32')\ndef main():\n    yield work(5000)\n    yield sem('go').signal()\n"
                 "    return 0\n")
    kernel, out = compose({"w.fth": waiter, "s.py": signaller},
                          task("w", "fo", "w/main") + task("s", "py", "s/main")
                          + "[[semaphore]]\nname = 'go'\ncount = 0\nmax = 1\n")
    assert kernel.run().reason == "finished"
    lines = out.decode().splitlines()
    assert lines[0].startswith("got it at ") and int(lines[0].split()[-1]) > 5000
    assert lines[1] == "0 0 "            # the second wait timed out: false, count 0


def test_console_input_reaches_accept_and_key(compose):
    source = ': main  PAD 80 ACCEPT PAD SWAP TYPE ." |" KEY EMIT KEY . CR 0 ;\nEXPORT main func() -> s32\n'
    kernel, out = compose({"c.fth": source}, task("c", "fo", "c/main"), console_in=b"typed line\nZ")
    assert kernel.run().reason == "finished"
    assert out.decode() == "typed line|Z4 \n"      # then the end of input: KEY gives 4


def test_bind_at_run_time_gives_an_execution_token(compose):
    source = (': main  S" /mod/py/lib/add" S" func(a: s32, b: s32) -> s32" BIND  >R 20 22 R> EXECUTE . CR\n'
              '  S" /no/such" S" func()" [\'] BIND CATCH . 2DROP 2DROP CR 0 ;\nEXPORT main func() -> s32\n')
    kernel, out = compose({"b.fth": source, "lib.py": ADDLIB}, task("b", "fo", "b/main") + GRANTS)
    assert kernel.run().reason == "finished"
    assert out.decode() == "42 \n-1042 \n"        # E_NOEXS from the OS as THROW -1000 + code


def test_an_uncaught_throw_in_an_export_faults_the_task(compose):
    source = ": bad ( n -- n ) 0 / ;  EXPORT bad func(x: s32) -> s32\n"
    caller = ("from osvm_vm_python.guest import export, need\n"
              "bad = need('/mod/fo/m/bad', 'func(x: s32) -> s32')\n"
              "@export('func() -> s32')\ndef main():\n    v = yield bad(1)\n    return v\n")
    kernel, out = compose({"m.fth": source, "c.py": caller}, task("c", "py", "c/main") + GRANTS)
    kernel.run()
    assert kernel.faults and "Division by zero" in str(kernel.faults[0][1])
    assert "in bad" in str(kernel.faults[0][1].where)


def test_the_dictionary_and_stacks_come_from_the_vm_heap(compose):
    kernel, _ = compose({"m.fth": ": x ;\n"}, memory="256KiB")
    vm = kernel.vms["fo"]
    heap = kernel.vm_heaps["fo"]
    assert heap.stats().live_bytes >= 128 * 1024          # the dictionary: half of the VM's memory
    assert vm.machine.memory.physical_base == heap.base


def test_too_little_memory_is_e_nomem(compose):
    with pytest.raises((SystemFileError, Exception), match="E_NOMEM|out of memory|memory"):
        compose({"m.fth": ": x ;\n"}, memory="16KiB", forth_options="dictionary = 65536")


def test_on_error_quit_goes_on(compose):
    source = "1 .\nnosuch\n2 . CR\n"
    kernel, out = compose({"m.fth": source}, task("m", "fo", "m/_start"), forth_options="on_error = 'quit'")
    kernel.run()
    lines = out.decode().splitlines()
    assert lines[0] == "1 " and lines[1].endswith("m.fth:2: Undefined word")
    assert lines[2:] == [">>>nosuch<<<", "2 "]


def test_on_error_exit_ends_the_task_with_status_1(compose):
    kernel, out = compose({"m.fth": "1 .\nnosuch\n2 .\n"}, task("m", "fo", "m/_start"))
    kernel.run()
    assert kernel.objects.get("task", "m").exit_code == 1
    assert "Undefined word" in out.decode() and "2 " not in out.decode()
