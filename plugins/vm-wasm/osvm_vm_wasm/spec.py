"""Runner for the pre-converted WebAssembly spec scripts (``wast2json`` output).

``python -m osvm_vm_wasm.spec [DIR_OR_JSON ...]`` prints pass/fail/skip
counts per script. With no argument it looks for ``wasm-spec-mvp/`` under
``$OSVM_TESTDATA`` or the ``shared/testdata`` folder next to the checkout.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .engine import Engine, load
from .errors import Exhaustion, LinkError, LoadError, Trap, ValidationError
from .exec.values import f32_bits, f64_bits, is_nan_bits
from .runtime import Global, HostFunction, Instance, Memory, Table
from .types import F32, F64, I32, I64, TYPE_BY_NAME, FuncType, GlobalType, Limits

TEXT_SKIP = "text-format module (assert_malformed on .wat): tests the text parser, not a binary engine"


def spectest_exports() -> dict[str, Any]:
    """The host module every spec script may import from."""
    def printer(*params: int) -> HostFunction:
        return HostFunction(FuncType(params, ()), lambda *args: (), name="print")

    return {
        "global_i32": Global(GlobalType(I32, False), 666),
        "global_i64": Global(GlobalType(I64, False), 666),
        "global_f32": Global(GlobalType(F32, False), f32_bits(666.6)),
        "global_f64": Global(GlobalType(F64, False), f64_bits(666.6)),
        "table": Table(Limits(10, 20)),
        "memory": Memory(Limits(1, 2)),
        "print": printer(),
        "print_i32": printer(I32),
        "print_i64": printer(I64),
        "print_f32": printer(F32),
        "print_f64": printer(F64),
        "print_i32_f32": printer(I32, F32),
        "print_f64_f64": printer(F64, F64),
    }


@dataclass
class ScriptResult:
    name: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)
    skips: list[str] = field(default_factory=list)
    message_mismatches: list[str] = field(default_factory=list)


class _Failure(Exception):
    pass


def _value(v: dict[str, str]) -> int:
    return int(v["value"])


def _matches(expected: dict[str, str], actual: int) -> bool:
    t = TYPE_BY_NAME[expected["type"]]
    text = expected["value"]
    if text == "nan:canonical":
        if t == F32:
            return actual & 0x7FFFFFFF == 0x7FC00000
        return actual & 0x7FFFFFFFFFFFFFFF == 0x7FF8000000000000
    if text == "nan:arithmetic":
        if t == F32:
            return is_nan_bits(t, actual) and actual & 0x7FC00000 == 0x7FC00000
        return is_nan_bits(t, actual) and actual & 0x7FF8000000000000 == 0x7FF8000000000000
    return actual == int(text)


class ScriptRunner:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.engine = Engine()
        self.engine.store.register("spectest", spectest_exports())
        self.named: dict[str, Instance] = {}
        self.current: Instance | None = None

    def _module(self, filename: str):
        return load((self.folder / filename).read_bytes())

    def _target(self, action: dict[str, Any]) -> Instance:
        inst = self.named.get(action["module"]) if "module" in action else self.current
        if inst is None:
            raise _Failure("no module for action")
        return inst

    def _act(self, action: dict[str, Any]) -> tuple[int, ...]:
        inst = self._target(action)
        if action["type"] == "invoke":
            args = [_value(a) for a in action.get("args", [])]
            return self.engine.invoke(inst, action["field"], args)
        if action["type"] == "get":
            return (self.engine.get(inst, action["field"]),)
        raise _Failure(f"unknown action {action['type']}")

    def _expect_error(self, fn: Callable[[], Any], cls: type[Exception], text: str, result: ScriptResult,
                      where: str) -> None:
        try:
            fn()
        except cls as e:
            message = getattr(e, "message", str(e))
            if not message.startswith(text):
                result.message_mismatches.append(f"{where}: expected {text!r}, got {message!r}")
            return
        except (LoadError, ValidationError, LinkError, Trap) as e:
            raise _Failure(f"expected {cls.__name__} ({text}), got {type(e).__name__}: {e}") from None
        raise _Failure(f"expected {cls.__name__} ({text}), but it succeeded")

    def command(self, cmd: dict[str, Any], result: ScriptResult) -> None:
        kind = cmd["type"]
        where = f"line {cmd['line']} {kind}"
        if cmd.get("module_type") == "text":
            result.skipped += 1
            result.skips.append(f"{where}: {TEXT_SKIP}")
            return
        try:
            if kind == "module":
                inst = self.engine.instantiate(self._module(cmd["filename"]))
                self.current = inst
                if "name" in cmd:
                    self.named[cmd["name"]] = inst
            elif kind == "register":
                inst = self.named[cmd["name"]] if "name" in cmd else self.current
                self.engine.store.register(cmd["as"], inst)
            elif kind == "action":
                self._act(cmd["action"])
            elif kind == "assert_return":
                got = self._act(cmd["action"])
                exp = cmd["expected"]
                if len(got) != len(exp) or not all(_matches(e, g) for e, g in zip(exp, got, strict=False)):
                    raise _Failure(f"expected {[e['value'] for e in exp]}, got {list(got)}")
            elif kind == "assert_trap":
                self._expect_error(lambda: self._act(cmd["action"]), Trap, cmd["text"], result, where)
            elif kind == "assert_exhaustion":
                self._expect_error(lambda: self._act(cmd["action"]), Exhaustion, cmd["text"], result, where)
            elif kind == "assert_invalid":
                self._expect_error(lambda: self._module(cmd["filename"]), ValidationError, cmd["text"],
                                   result, where)
            elif kind == "assert_malformed":
                self._expect_error(lambda: self._module(cmd["filename"]), LoadError, cmd["text"], result, where)
            elif kind == "assert_unlinkable":
                module = self._module(cmd["filename"])
                self._expect_error(lambda: self.engine.instantiate(module), LinkError, cmd["text"], result, where)
            elif kind == "assert_uninstantiable":
                module = self._module(cmd["filename"])
                self._expect_error(lambda: self.engine.instantiate(module), Trap, cmd["text"], result, where)
            else:
                raise _Failure(f"unknown command {kind}")
        except _Failure as e:
            result.failed += 1
            result.failures.append(f"{where}: {e}")
            return
        except Exception as e:  # noqa: BLE001 - any engine error is a failed command, with its text
            result.failed += 1
            result.failures.append(f"{where}: {type(e).__name__}: {e}")
            return
        result.passed += 1


def run_script(json_path: Path) -> ScriptResult:
    """Run every command of one ``<name>.json``; never raises for engine errors."""
    data = json.loads(json_path.read_text())
    result = ScriptResult(json_path.stem)
    runner = ScriptRunner(json_path.parent)
    for cmd in data["commands"]:
        runner.command(cmd, result)
    return result


def default_testdata() -> Path | None:
    env = os.environ.get("OSVM_TESTDATA")
    if env:
        root = Path(env) / "wasm-spec-mvp"
        return root if root.is_dir() else None
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "testdata" / "wasm-spec-mvp"
        if (parent / ".git").exists() and candidate.is_dir():
            return candidate
    return None


def script_files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*/*.json") if p.parent.name != "wast")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    paths: list[Path] = []
    if not args:
        root = default_testdata()
        if root is None:
            print("no wasm-spec-mvp test data found (set OSVM_TESTDATA)", file=sys.stderr)
            return 2
        paths = script_files(root)
    for a in args:
        p = Path(a)
        paths.extend(script_files(p) if p.is_dir() else [p])
    totals = ScriptResult("total")
    print(f"{'script':28} {'pass':>6} {'fail':>6} {'skip':>6}")
    for p in paths:
        r = run_script(p)
        print(f"{r.name:28} {r.passed:6} {r.failed:6} {r.skipped:6}")
        if verbose:
            for line in r.failures + [f"(message) {m}" for m in r.message_mismatches]:
                print(f"    {line}")
        totals.passed += r.passed
        totals.failed += r.failed
        totals.skipped += r.skipped
    print(f"{'total':28} {totals.passed:6} {totals.failed:6} {totals.skipped:6}")
    return 1 if totals.failed else 0


if __name__ == "__main__":
    sys.exit(main())
