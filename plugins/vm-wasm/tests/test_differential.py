"""Differential tests: the C examples under wasmtime (from PyPI) and under osvm give the same
output, exit status and results."""

from __future__ import annotations

from pathlib import Path

import pytest

wasmtime = pytest.importorskip("wasmtime", reason="wasmtime is not installed (pip install wasmtime)")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _wasmtime_run(program: str, args: list[str], tmp_path: Path) -> tuple[bytes, int]:
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    config = wasmtime.WasiConfig()
    config.argv = [program, *args]
    out = tmp_path / "stdout"
    err = tmp_path / "stderr"
    config.stdout_file = str(out)
    config.stderr_file = str(err)
    store.set_wasi(config)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, wasmtime.Module.from_file(engine, str(EXAMPLES / program)))
    code = 0
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as exit_:
        code = exit_.code
    return out.read_bytes() + err.read_bytes(), code


@pytest.mark.parametrize(("program", "args"), [
    ("hello.wasm", []),
    ("hello.wasm", ["one", "two words", "three"]),
    ("primes.wasm", []),
    ("primes.wasm", ["30"]),
    ("primes.wasm", ["1"]),
    ("sort.wasm", []),
    ("floats.wasm", []),
])
def test_wasi_programs_behave_as_under_wasmtime(osvm, tmp_path, program, args):
    expected_output, expected_code = _wasmtime_run(program, args, tmp_path)
    result = osvm("exec", "wasm", str(EXAMPLES / program), *args)
    assert result.stdout_bytes == expected_output
    assert result.exit_code == expected_code


@pytest.mark.parametrize(("program", "export", "args"), [
    ("bench.wasm", "fib", [18]),
    ("bench.wasm", "sieve", [5000]),
    ("bench.wasm", "matmul", [12]),
    ("bench.wasm", "crc32", [3000]),
    ("limits.wasm", "pages", []),
    ("limits.wasm", "grow", [2]),
    ("limits.wasm", "grow_keeps", [1]),
])
def test_exports_return_what_wasmtime_returns(osvm, program, export, args):
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, str(EXAMPLES / program)), [])
    expected = instance.exports(store)[export](store, *args)
    result = osvm("exec", "wasm", str(EXAMPLES / program), "--invoke", export, *map(str, args))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{expected}\n"


def test_an_out_of_bounds_access_traps_in_both(osvm):
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, str(EXAMPLES / "limits.wasm")), [])
    with pytest.raises(wasmtime.Trap, match="out of bounds memory access"):
        instance.exports(store)["oob"](store)
    result = osvm("exec", "wasm", str(EXAMPLES / "limits.wasm"), "--invoke", "oob")
    assert result.exit_code == 1 and "out of bounds memory access" in result.stderr
