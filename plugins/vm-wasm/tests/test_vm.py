"""The wasm VM personality: exec, exports and imports through the names tree, values across the
boundary, memory in the VM's heap, preemption, traps, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from osvm_core.errors import NoMemory, SignatureError
from osvm_vm_wasm import asm
from osvm_vm_wasm.errors import LinkError, LoadError, ValidationError
from osvm_vm_wasm.vm import WasmVM

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BOARD = "[hal]\nclock_hz = 1_000_000\nram = '8MiB'\ntimer_period = 0\n"

MATHLIB = '''
from osvm_vm_python.guest import export, need, now, work, write

shout = need("/mod/w/caller/shout", "func(text: string) -> string")


@export("func(x: s32) -> s32")
def scale(x):
    yield work(50)
    return x * 2


@export("func(name: string) -> string")
def greet(name):
    return f"hello, {name}"


@export("func() -> s32")
def main():
    loud = yield shout("quiet words")
    yield write(f"python got {loud!r}\\n")
    return len(loud)
'''


def _wasm_vm(load: str, *, memory: str = "1MiB", options: str = "", name: str = "w") -> str:
    text = f"[[vm]]\nname = '{name}'\nkind = 'wasm'\nmemory = '{memory}'\nload = [{load}]\n"
    return text + (f"options = {options}\n" if options else "")


def _task(name: str, vm: str, entry: str, priority: int = 1, args: str = "[]") -> str:
    return f"[[task]]\nname = '{name}'\nvm = '{vm}'\nentry = '{entry}'\npriority = {priority}\nargs = {args}\n"


# ---------------------------------------------------------------- osvm exec
def test_exec_runs_a_c_program_that_prints_and_exits_with_its_code(osvm):
    result = osvm("exec", "wasm", str(EXAMPLES / "hello.wasm"), "one", "two")
    assert result.exit_code == 2      # main returned argc - 1, through WASI proc_exit
    assert result.stdout == "hello from wasm, 2 arguments\n  argv[1] = one\n  argv[2] = two\n"


def test_exec_invoke_prints_the_result_like_wasmtime(osvm):
    result = osvm("exec", "wasm", str(EXAMPLES / "bench.wasm"), "--invoke", "fib", "20")
    assert result.exit_code == 0 and result.stdout == "6765\n"
    result = osvm("exec", "wasm", str(EXAMPLES / "limits.wasm"), "--invoke", "pages")
    assert result.stdout == "1\n"


def test_exec_of_a_trapping_export_fails_naming_function_and_offset(osvm):
    result = osvm("exec", "wasm", str(EXAMPLES / "limits.wasm"), "--invoke", "oob")
    assert result.exit_code == 1
    assert "out of bounds memory access at" in result.stderr
    assert "limits.wasm func 1 <oob> at byte 0x" in result.stderr


def test_exec_runs_the_start_function_of_a_module_without_start_export(osvm, tmp_path):
    wasm = _start_module()
    path = tmp_path / "starter.wasm"
    path.write_bytes(wasm)
    result = osvm("exec", "wasm", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "hi\n"


# ---------------------------------------------------------------- names, signatures, errors
def test_exports_are_published_with_derived_and_declared_signatures(compose):
    kernel, _, _ = compose(BOARD + _wasm_vm("'examples/bench.wasm', 'examples/caller.wasm'",
                                            options='{ signatures = { "caller/shout" = '
                                                    '"func(text: string) -> string" } }')
                           + "[[grant]]\nvm = 'w'\nbind = '/mod/py/**'\n"
                           + "[[grant]]\nvm = 'py'\nbind = '/mod/w/**'\n"
                           + "[[vm]]\nname = 'py'\nkind = 'python'\nload = ['mathlib.py']\n",
                           {"mathlib.py": MATHLIB})
    assert str(kernel.names.lookup("/mod/w/bench/fib").signature) == "func(p0: s32) -> s32"
    assert str(kernel.names.lookup("/mod/w/caller/shout").signature) == "func(text: string) -> string"
    assert kernel.names.get("/mod/w/caller/alloc") is not None
    assert kernel.names.get("/mod/w/caller/cabi_post_shout") is None   # ABI plumbing is not published


def test_a_custom_section_declares_signatures(compose):
    kernel, _, _ = compose(BOARD + _wasm_vm("'crc32.wasm'"), {"crc32.wasm": _polyglot_crc()})
    assert str(kernel.names.lookup("/mod/w/crc32/crc32").signature) == "func(data: bytes) -> u32"


def test_a_malformed_module_is_refused_naming_file_and_byte_offset(compose):
    good = asm.sum_loop_module()
    bad = good[:-3] + b"\xff" + good[-2:]          # an illegal opcode in the body
    with pytest.raises(LoadError) as caught:
        compose(BOARD + _wasm_vm("'bad.wasm'"), {"bad.wasm": bad})
    text = str(caught.value)
    assert "bad.wasm: malformed module: illegal opcode 0xff" in text
    assert f"byte {len(good) - 3:#x}" in text and "function 0" in text


def test_an_invalid_module_is_refused_naming_the_function(compose):
    body = asm.local_get(0) + asm.i32_const(1) + b"\x7c" + asm.END    # i64.add on two i32
    wasm = asm.module([asm.functype((asm.I32,), (asm.I32,))], [(0, [], body)], exports=[("f", 0)])
    with pytest.raises(ValidationError) as caught:
        compose(BOARD + _wasm_vm("'bad.wasm'"), {"bad.wasm": wasm})
    assert "bad.wasm: invalid module: type mismatch (at byte 0x" in str(caught.value)
    assert "in function 0)" in str(caught.value)


def test_a_signature_the_vm_cannot_express_is_refused_naming_the_type(compose):
    with pytest.raises(SignatureError) as caught:
        compose(BOARD + _wasm_vm("'examples/bench.wasm'",
                                 options='{ signatures = { "fib" = "func(n: option<s32>) -> s32" } }'))
    assert "cannot express type option<s32>" in str(caught.value) and "export fib" in str(caught.value)


def test_a_declared_signature_must_flatten_to_the_core_type(compose):
    with pytest.raises(SignatureError) as caught:
        compose(BOARD + _wasm_vm("'examples/bench.wasm'",
                                 options='{ signatures = { "fib" = "func(n: s64) -> s32" } }'))
    assert "needs the core type (i64) -> (i32), the function has (i32) -> (i32)" in str(caught.value)


def test_an_import_of_an_inexpressible_service_is_refused_at_link(compose):
    # /os/port/send takes 'any': nothing in wasm can hold it
    wasm = asm.module([asm.functype((asm.I32, asm.I32, asm.I64), ())], [],
                      imports=[("osvm", "port_send", 0)])
    with pytest.raises(SignatureError) as caught:
        compose(BOARD + _wasm_vm("'p.wasm'"), {"p.wasm": wasm})
    assert "import osvm.port_send (/os/port/send" in str(caught.value)
    assert "cannot express type any" in str(caught.value)


def test_an_import_whose_core_type_does_not_match_is_refused(compose):
    wasm = asm.module([asm.functype((asm.I32,), ())], [], imports=[("osvm", "time_now", 0)])
    with pytest.raises(SignatureError) as caught:
        compose(BOARD + _wasm_vm("'p.wasm'"), {"p.wasm": wasm})
    assert "needs the core type () -> (i64); the module declares (i32) -> ()" in str(caught.value)


def test_imports_map_to_paths_and_options_remap_them():
    from osvm_vm_wasm.imports import import_path

    assert import_path("osvm", "console_write_bytes", {}) == "/os/console/write_bytes"
    assert import_path("env", "time/now", {}) == "/os/time/now"
    assert import_path("env", "/mod/py/m/f", {}) == "/mod/py/m/f"
    assert import_path("py/util", "log", {}) == "/mod/py/util/log"
    assert import_path("env", "log", {"env.log": "/mod/py/util/log"}) == "/mod/py/util/log"
    with pytest.raises(LoadError, match="names no OS service"):
        import_path("env", "log", {})


def test_unknown_vm_options_are_refused():
    with pytest.raises(Exception, match="unknown options"):
        WasmVM("w", {"speed": 3})
    with pytest.raises(Exception, match="options.imports"):
        WasmVM("w", {"imports": {"env.log": "relative/path"}})


def test_a_memory_import_is_refused(compose):
    wasm = b"\x00asm\x01\x00\x00\x00" + asm.section(2, asm.vec([asm.name("env") + asm.name("memory")
                                                                + b"\x02\x00\x01"]))
    with pytest.raises(LinkError, match="import env.memory is a memory; the wasm VM links function imports only"):
        compose(BOARD + _wasm_vm("'m.wasm'"), {"m.wasm": wasm})


# ---------------------------------------------------------------- calls between VMs
def _caller_system(extra: str = "") -> str:
    return (BOARD
            + _wasm_vm("'examples/caller.wasm'",
                       options='{ signatures = { "shout" = "func(text: string) -> string" } }')
            + "[[vm]]\nname = 'py'\nkind = 'python'\nload = ['mathlib.py']\n"
            + "[[grant]]\nvm = 'w'\nbind = '/mod/py/mathlib/*'\n"
            + "[[grant]]\nvm = 'py'\nbind = '/mod/w/caller/shout'\n" + extra)


def test_a_wasm_task_calls_os_services_and_python_exports(compose):
    kernel, output, notes = compose(_caller_system(_task("wasm-main", "w", "caller/main")),
                                    {"mathlib.py": MATHLIB})
    assert kernel.run().reason == "finished"
    text = output.decode()
    assert text.startswith("caller: calling python\ncaller: scale(21) = 42\n"
                           "caller: greet says 'hello, wasm'\ncaller: cycle ")
    task = kernel.objects.get("task", "wasm-main")
    assert task.exit_code == 42 and task.fault is None and not notes


def test_a_python_task_calls_a_wasm_export_with_strings_both_ways(compose):
    kernel, output, _ = compose(_caller_system(_task("py-main", "py", "mathlib/main")),
                                {"mathlib.py": MATHLIB})
    assert kernel.run().reason == "finished"
    assert output.decode() == "python got 'QUIET WORDS'\n"
    assert kernel.objects.get("task", "py-main").exit_code == len("QUIET WORDS")


def test_a_python_export_called_without_a_grant_is_refused_at_link(compose):
    text = _caller_system().replace("[[grant]]\nvm = 'w'\nbind = '/mod/py/mathlib/*'\n", "")
    with pytest.raises(Exception, match="may not bind /mod/py/mathlib"):
        compose(text, {"mathlib.py": MATHLIB})


def test_a_failing_os_call_sets_last_error_instead_of_trapping(compose):
    kernel, _, _ = compose(_caller_system(_task("t", "w", "caller/try_bad_delay")), {"mathlib.py": MATHLIB})
    kernel.run()
    assert kernel.objects.get("task", "t").exit_code == -17   # E_PAR: a delay of -1 cycles


def test_a_failing_os_call_traps_a_module_that_does_not_handle_errors(compose):
    # run(x) = delay(x): /os/task/delay with a negative count fails with E_PAR
    body = asm.local_get(0) + b"\xac" + asm.call(0) + asm.END     # i64.extend_i32_s
    wasm = asm.module([asm.functype((asm.I64,), ()), asm.functype((asm.I32,), ())], [(1, [], body)],
                      imports=[("osvm", "task_delay", 0)], exports=[("run", 1)])
    kernel, _, notes = compose(BOARD + _wasm_vm("'d.wasm'") + _task("t", "w", "d/run", args="[-5]"),
                               {"d.wasm": wasm})
    kernel.run()
    fault = kernel.objects.get("task", "t").fault
    assert fault is not None and "call of /os/task/delay (import osvm.task_delay) failed: E_PAR" in str(fault)
    assert "d.wasm func 1 at byte 0x" in str(fault)


# ---------------------------------------------------------------- memory
def test_linear_memory_lives_in_the_vm_heap(compose):
    kernel, _, _ = compose(BOARD + _wasm_vm("'examples/limits.wasm'", memory="512KiB"))
    memory = kernel.vms["w"].states["limits"].instance.memory
    heap = kernel.vm_heaps["w"]
    address = kernel.vms["w"]._blocks[id(memory.data)]
    assert heap.base <= address and address + len(memory.data) <= heap.base + heap.size
    memory.data[0:4] = b"osvm"
    offset = address - kernel.board.ram_base
    assert bytes(kernel.board.ram[offset:offset + 4]) == b"osvm"


def test_memory_grow_past_the_vm_memory_limit_returns_minus_one(compose):
    kernel, _, notes = compose(BOARD + _wasm_vm("'examples/limits.wasm'", memory="1MiB")
                               + _task("grower", "w", "limits/grow_all")
                               + _task("after", "w", "limits/pages", priority=2))
    assert kernel.run().reason == "finished"
    grower, after = kernel.objects.get("task", "grower"), kernel.objects.get("task", "after")
    assert grower.fault is None and 1 <= grower.exit_code < 16      # stopped by the 1 MiB heap
    assert after.exit_code == 1 + grower.exit_code
    assert kernel.vm_heaps["w"].stats().live_bytes <= 1 << 20 and not notes


def test_memory_grow_moves_the_memory_and_keeps_its_contents(compose):
    kernel, _, _ = compose(BOARD + _wasm_vm("'examples/limits.wasm'", memory="2MiB")
                           + _task("t", "w", "limits/grow_keeps", args="[3]"))
    vm = kernel.vms["w"]
    before = dict(vm._blocks)
    kernel.run()
    assert kernel.objects.get("task", "t").exit_code == 1
    assert vm._blocks != before and len(vm._blocks) == 1     # a new block; the old one released
    assert vm.states["limits"].instance.memory.pages == 4


def test_a_module_too_big_for_the_vm_memory_is_refused(compose):
    wasm = b"\x00asm\x01\x00\x00\x00" + asm.section(5, asm.vec([b"\x00\x04"]))   # 4 pages
    with pytest.raises(NoMemory, match="big.wasm: no room for its linear memory"):
        compose(BOARD + _wasm_vm("'big.wasm'", memory="128KiB"), {"big.wasm": wasm})


# ---------------------------------------------------------------- hostile guests
def test_an_infinite_loop_is_preempted_and_other_tasks_run(compose):
    kernel, output, _ = compose(
        BOARD + "[system]\nquantum = 500\n" + _wasm_vm("'examples/limits.wasm'")
        + "[[vm]]\nname = 'py'\nkind = 'python'\nload = ['ticker.py']\n"
        + _task("spinner", "w", "limits/spin") + _task("ticker", "py", "ticker/main"),
        {"ticker.py": "from osvm_vm_python.guest import export, work, write\n"
                      "@export('func()')\ndef main():\n"
                      "    for i in range(5):\n        yield work(300)\n        yield write(f'tick {i}\\n')\n"})
    report = kernel.run(max_cycles=50_000)
    assert report.reason == "max-cycles"
    assert output.decode() == "".join(f"tick {i}\n" for i in range(5))
    spinner = kernel.objects.get("task", "spinner")
    assert spinner.state.value == "ready" and spinner.cycles > 40_000


def test_an_out_of_bounds_access_traps_and_ends_only_that_task(compose):
    kernel, _, notes = compose(BOARD + _wasm_vm("'examples/limits.wasm', 'examples/bench.wasm'")
                               + _task("bad", "w", "limits/oob") + _task("good", "w", "bench/fib", 2, "[15]"))
    assert kernel.run().reason == "finished"
    bad, good = kernel.objects.get("task", "bad"), kernel.objects.get("task", "good")
    assert "out of bounds memory access at" in str(bad.fault) and "limits.wasm func 1 <oob>" in str(bad.fault)
    assert good.fault is None and good.exit_code == 610
    assert len(notes) == 1 and "task 'bad'" in notes[0]


def test_deep_recursion_is_exhaustion_not_a_python_error(compose):
    body = asm.local_get(0) + asm.call(0) + asm.END      # f(x) = f(x), forever deeper
    wasm = asm.module([asm.functype((asm.I32,), (asm.I32,))], [(0, [], body)], exports=[("f", 0)])
    kernel, _, _ = compose(BOARD + _wasm_vm("'r.wasm'", options="{ max_call_depth = 500 }")
                           + _task("t", "w", "r/f", args="[1]"), {"r.wasm": wasm})
    kernel.run()
    assert "call stack exhausted" in str(kernel.objects.get("task", "t").fault)


def test_two_tasks_in_one_instance_take_turns(compose):
    # both tasks run sieve (it uses a static array): the instance lock keeps them apart
    kernel, _, _ = compose(BOARD + "[system]\nquantum = 300\n" + _wasm_vm("'examples/bench.wasm'")
                           + _task("a", "w", "bench/sieve", 1, "[3000]")
                           + _task("b", "w", "bench/sieve", 1, "[2000]"))
    assert kernel.run().reason == "finished"
    assert kernel.objects.get("task", "a").exit_code == 430
    assert kernel.objects.get("task", "b").exit_code == 303
    assert kernel.objects.get("task", "b").waits >= 1       # it waited for the instance


def test_wasi_args_come_from_the_vm_options(compose):
    kernel, output, _ = compose(BOARD + _wasm_vm("'examples/hello.wasm'", options='{ args = ["hello", "x"] }')
                                + _task("t", "w", "hello/_start"))
    kernel.run()
    assert output.decode() == "hello from wasm, 1 argument\n  argv[1] = x\n"
    assert kernel.objects.get("task", "t").exit_code == 1


def test_the_same_system_runs_the_same_way_twice(compose):
    runs = []
    for _ in range(2):
        kernel, output, _ = compose(_caller_system(_task("wasm-main", "w", "caller/main")
                                                   + _task("py-main", "py", "mathlib/main", 2)),
                                    {"mathlib.py": MATHLIB})
        kernel.run()
        runs.append((bytes(output), kernel.board.now()))
    assert runs[0] == runs[1]


# ---------------------------------------------------------------- helpers
def _start_module() -> bytes:
    """imports console_write(ptr, len); memory with "hi\\n" at 0; start function writes it."""
    types = asm.section(1, asm.vec([asm.functype((asm.I32, asm.I32), ()), asm.functype((), ())]))
    imports = asm.section(2, asm.vec([asm.name("osvm") + asm.name("console_write") + b"\x00\x00"]))
    funcs = asm.section(3, asm.vec([asm.uleb(1)]))
    memory = asm.section(5, asm.vec([b"\x00\x01"]))
    start = asm.section(8, asm.uleb(1))
    body = asm.vec([]) + asm.i32_const(0) + asm.i32_const(3) + asm.call(0) + asm.END
    code = asm.section(10, asm.vec([asm.uleb(len(body)) + body]))
    data = asm.section(11, asm.vec([b"\x00" + asm.i32_const(0) + asm.END + asm.vec([b"h", b"i", b"\n"])]))
    return b"\x00asm\x01\x00\x00\x00" + types + imports + funcs + memory + start + code + data


def _polyglot_crc() -> bytes:
    return (Path(__file__).resolve().parents[3] / "examples" / "polyglot" / "wasm" / "crc32.wasm").read_bytes()


def test_both_executors_give_the_same_run_to_the_cycle(compose):
    runs = []
    for executor in ("translate", "interp"):
        text = _caller_system(_task("wasm-main", "w", "caller/main") + _task("py-main", "py", "mathlib/main", 2)
                              + _task("sieve", "w2", "bench/sieve", 1, "[3000]"))
        text = text.replace('options = { signatures', f'options = {{ executor = "{executor}", signatures')
        text += _wasm_vm("'examples/bench.wasm'", name="w2", options=f'{{ executor = "{executor}" }}')
        kernel, output, _ = compose(BOARD + "[system]\nquantum = 700\n" + text[len(BOARD):],
                                    {"mathlib.py": MATHLIB})
        kernel.run()
        runs.append((bytes(output), kernel.board.now(), {t.name: t.cycles for t in kernel.tasks.values()}))
    assert runs[0] == runs[1]
    assert runs[0][2]["sieve"] > 3000


def test_signature_options_apply_across_modules_and_typos_are_caught(compose):
    kernel, _, _ = compose(BOARD + _wasm_vm("'examples/bench.wasm', 'examples/limits.wasm'",
                                            options='{ signatures = { "fib" = "func(n: u32) -> u32" } }'))
    assert str(kernel.names.lookup("/mod/w/bench/fib").signature) == "func(n: u32) -> u32"
    with pytest.raises(Exception, match="options.signatures names 'fibb', which no module of the VM exports"):
        compose(BOARD + _wasm_vm("'examples/bench.wasm'", options='{ signatures = { "fibb" = "func()" } }'))
