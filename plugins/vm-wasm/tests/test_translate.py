"""The translator (functions as Python generators) against the interpreter: same results, same
cycles, preempted at the same instructions, the same traps at the same places."""

from __future__ import annotations

from pathlib import Path

import pytest

from osvm_vm_wasm import Engine, Finished, HostCall, HostFunction, Preempted, Trapped, asm, load
from osvm_vm_wasm.exec import Thread
from osvm_vm_wasm.exec.tthread import TranslatedThread

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _events(thread_class, wasm: bytes, export: str, args: list[int], budget: int, host=None):
    engine = Engine()
    if host is not None:
        engine.store.register("env", host)
    instance = engine.instantiate(load(wasm))
    thread = thread_class(instance.exports[export], args, inline_host=False)
    events = []
    for _ in range(1_000_000):
        event = thread.run(budget)
        if isinstance(event, HostCall):
            events.append(("host", event.used, event.args))
            thread.resume([event.args[0] * 2])
            continue
        if isinstance(event, Preempted):
            events.append(("preempted", event.used))
            continue
        if isinstance(event, Trapped):
            events.append(("trapped", event.used, event.error.message, thread.location()))
        else:
            assert isinstance(event, Finished)
            events.append(("finished", event.used, event.results))
        return events, thread.cycles
    raise AssertionError("did not finish")


@pytest.mark.parametrize("budget", [1, 3, 17, 250, 10_000])
@pytest.mark.parametrize(("export", "args"), [("fib", [12]), ("sieve", [700]), ("matmul", [5]), ("crc32", [300])])
def test_bench_kernels_step_identically(budget, export, args):
    wasm = (EXAMPLES / "bench.wasm").read_bytes()
    assert _events(TranslatedThread, wasm, export, args, budget) == _events(Thread, wasm, export, args, budget)


@pytest.mark.parametrize("budget", [1, 2, 5, 100])
def test_host_calls_stop_at_the_same_points(budget):
    twice = HostFunction(asm_type(), None, name="twice")
    wasm = asm.host_module()
    got = _events(TranslatedThread, wasm, "run", [20], budget, {"twice": twice})
    assert got == _events(Thread, wasm, "run", [20], budget, {"twice": twice})
    assert [e[2] for e in got[0] if e[0] == "host"] == [(20,), (21,)]


@pytest.mark.parametrize("budget", [1, 9, 10_000])
def test_traps_charge_the_same_cycles_and_name_the_same_place(budget):
    wasm = (EXAMPLES / "limits.wasm").read_bytes()
    translated = _events(TranslatedThread, wasm, "oob", [], budget)
    assert translated == _events(Thread, wasm, "oob", [], budget)
    assert translated[0][-1][0] == "trapped" and translated[0][-1][2] == "out of bounds memory access"


def test_division_by_zero_traps_in_both():
    body = asm.local_get(0) + asm.i32_const(0) + b"\x6d" + asm.END       # i32.div_s x / 0
    wasm = asm.module([asm.functype((asm.I32,), (asm.I32,))], [(0, [], body)], exports=[("f", 0)])
    assert _events(TranslatedThread, wasm, "f", [7], 100) == _events(Thread, wasm, "f", [7], 100)
    assert _events(TranslatedThread, wasm, "f", [7], 100)[0][-1][2] == "integer divide by zero"


def test_deep_recursion_is_exhaustion_in_both():
    body = asm.local_get(0) + asm.call(0) + asm.END
    wasm = asm.module([asm.functype((asm.I32,), (asm.I32,))], [(0, [], body)], exports=[("f", 0)])
    for cls in (TranslatedThread, Thread):
        engine = Engine()
        instance = engine.instantiate(load(wasm))
        thread = cls(instance.exports["f"], [1], max_depth=300)
        event = thread.run(10**9)
        assert isinstance(event, Trapped) and event.error.message == "call stack exhausted"


def asm_type():
    from osvm_vm_wasm import I32, FuncType

    return FuncType((I32,), (I32,))
