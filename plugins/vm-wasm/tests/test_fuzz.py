"""Hostile input: the decoder and validator raise only LoadError / ValidationError, and whatever
validates compiles, instantiates (or is unlinkable) and runs (or traps) without any other error."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osvm_vm_wasm import Engine, HostFunction, LinkError, LoadError, Trap, ValidationError, asm, load
from osvm_vm_wasm.exec import Finished, HostCall, Preempted, Trapped
from osvm_vm_wasm.exec.machine import compiled
from osvm_vm_wasm.runtime import Store, WasmFunction
from osvm_vm_wasm.types import FUNC

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [asm.sum_loop_module(), asm.fib_module(), asm.host_module()] + [
    path.read_bytes() for path in sorted((ROOT / "examples").glob("*.wasm")) if path.stat().st_size < 4096
] + [(ROOT.parents[1] / "examples" / "polyglot" / "wasm" / "crc32.wasm").read_bytes()]
HEADER = b"\x00asm\x01\x00\x00\x00"
FUZZ = settings(max_examples=int(os.environ.get("OSVM_FUZZ_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load_only_fails_cleanly(data: bytes):
    try:
        return load(data)
    except (LoadError, ValidationError) as error:
        assert error.message                      # every error says what is wrong
        return None


def _exercise(module) -> None:
    """Compile, instantiate (small memories only) and run every export a little."""
    def small(size: int):
        return bytearray(size) if size <= 4 * 65536 else None

    engine = Engine(Store(max_call_depth=200, allocate=small))
    externs = iter([HostFunction(module.types[imp.desc], None, name=imp.name)
                    for imp in module.imports if imp.kind == FUNC])
    if any(imp.kind != FUNC for imp in module.imports):
        return
    engine.store.resolver = lambda _module, _name: next(externs)
    try:
        instance = engine.instantiate(module, run_start=False)
    except LinkError:
        return
    for f in instance.funcs:
        if isinstance(f, WasmFunction):
            compiled(f)
    for name, ext in instance.exports.items():
        if not isinstance(ext, WasmFunction):
            continue
        thread = engine.thread(ext, [0] * len(ext.type.params))
        for _ in range(3):
            event = thread.run(500)
            assert isinstance(event, Finished | Preempted | Trapped | HostCall), name
            if isinstance(event, Trapped):
                assert isinstance(event.error, Trap)
            if not isinstance(event, Preempted | HostCall):
                break
            if isinstance(event, HostCall):
                thread.resume([0] * len(event.func.type.results))


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    _load_only_fails_cleanly(data)


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_after_a_valid_header(data: bytes) -> None:
    module = _load_only_fails_cleanly(HEADER + data)
    if module is not None:
        _exercise(module)


@st.composite
def _mutants(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]))
        at = draw(st.integers(8, max(8, len(data) - 1)))
        if how == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "set" and at < len(data):
            data[at] = draw(st.sampled_from([0x00, 0x01, 0x0B, 0x40, 0x7F, 0x80, 0xFF, draw(st.integers(0, 255))]))
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif how == "delete":
            del data[at:at + draw(st.integers(1, 4))]
        else:
            del data[at:]
    return bytes(data)


@FUZZ
@given(_mutants())
def test_mutations_of_valid_modules(data: bytes) -> None:
    module = _load_only_fails_cleanly(data)
    if module is not None:
        _exercise(module)


def test_the_seeds_are_valid() -> None:
    for seed in SEEDS:
        _exercise(load(seed))
