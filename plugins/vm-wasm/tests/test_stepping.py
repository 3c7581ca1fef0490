"""The step machine: preemption by budget, host-import stops, traps and exhaustion."""

from __future__ import annotations

import pytest

from osvm_vm_wasm import (
    I32,
    Engine,
    Exhaustion,
    Finished,
    FuncType,
    HostCall,
    HostFunction,
    Preempted,
    Trap,
    Trapped,
    load,
)
from osvm_vm_wasm.asm import fib_module, host_module, sum_loop_module


def _sum(n: int) -> int:
    return (n * (n - 1) // 2) & 0xFFFFFFFF


def test_sum_runs_to_completion() -> None:
    e = Engine()
    inst = e.instantiate(load(sum_loop_module()))
    assert e.invoke(inst, "sum", [1000]) == (_sum(1000),)


@pytest.mark.parametrize("budget", [1, 7, 100, 4999])
def test_preempted_loop_resumes_to_same_result(budget: int) -> None:
    e = Engine()
    inst = e.instantiate(load(sum_loop_module()))
    whole = e.thread(inst.exports["sum"], [5000]).run(10**9)
    assert isinstance(whole, Finished)
    t = e.thread(inst.exports["sum"], [5000])
    used = 0
    stops = 0
    while True:
        ev = t.run(budget)
        used += ev.used
        assert ev.used <= budget
        if isinstance(ev, Finished):
            break
        assert isinstance(ev, Preempted) and ev.used == budget
        stops += 1
    assert ev.results == whole.results == (_sum(5000),)
    assert used == whole.used == t.cycles
    assert stops == (whole.used - 1) // budget


def test_recursive_fib_preempted() -> None:
    e = Engine()
    inst = e.instantiate(load(fib_module()))
    t = e.thread(inst.exports["fib"], [15])
    while not isinstance(ev := t.run(333), Finished):
        assert isinstance(ev, Preempted)
    assert ev.results == (610,)


def test_host_import_stops_and_resumes() -> None:
    e = Engine()
    twice = HostFunction(FuncType((I32,), (I32,)), None, name="twice")
    e.store.register("env", {"twice": twice})
    inst = e.instantiate(load(host_module()))
    t = e.thread(inst.exports["run"], [20])
    seen = []
    while True:
        ev = t.run(1000)
        if isinstance(ev, Finished):
            break
        assert isinstance(ev, HostCall) and ev.func is twice
        seen.append(ev.args)
        t.resume([ev.args[0] * 2])
    assert seen == [(20,), (21,)]
    assert ev.results == (40 + 42,)


def test_host_import_inline_when_callable() -> None:
    e = Engine()
    e.store.register("env", {"twice": HostFunction(FuncType((I32,), (I32,)), lambda x: (x * 2,))})
    inst = e.instantiate(load(host_module()))
    assert e.invoke(inst, "run", [5]) == (22,)


def test_host_failure_traps_the_thread() -> None:
    e = Engine()
    e.store.register("env", {"twice": HostFunction(FuncType((I32,), (I32,)))})
    inst = e.instantiate(load(host_module()))
    t = e.thread(inst.exports["run"], [1])
    assert isinstance(t.run(100), HostCall)
    t.fail(Trap("host refused"))
    ev = t.run(100)
    assert isinstance(ev, Trapped) and ev.error.message == "host refused"


def test_deep_recursion_is_exhaustion_not_python_recursion() -> None:
    e = Engine()
    e.store.max_call_depth = 50_000
    inst = e.instantiate(load(fib_module()))
    # fib's recursion depth is n; a limit smaller than n must trap as exhaustion
    t = e.thread(inst.exports["fib"], [30])
    t.max_depth = 10
    ev = t.run(10**7)
    assert isinstance(ev, Trapped) and isinstance(ev.error, Exhaustion)
    assert ev.error.message == "call stack exhausted"
