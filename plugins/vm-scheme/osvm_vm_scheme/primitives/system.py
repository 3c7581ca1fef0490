"""The system interface (R7RS 6.14) and (scheme time), on the simulated clock.

``current-jiffy`` is the board's cycle counter and ``jiffies-per-second`` its clock rate, both
read with system calls (``/os/time/now``, ``/os/time/hz``); ``current-second`` is the
simulated time since reset plus the VM option ``epoch`` (0 by default), so a run gives
the same answers every time.
"""

from __future__ import annotations

from typing import Any

from ..machine import Context, KernelRequest, Running
from ..values import MString, error, from_list, sym
from .registry import control, prim

FEATURES = ("r7rs", "exact-closed", "exact-complex", "ieee-float", "full-unicode", "ratios", "osvm",
            "osvm-scheme")


@prim("features")
def features() -> Any:
    return from_list([sym(f) for f in FEATURES])


@prim("command-line", pure=False)
def command_line() -> Any:
    """The task's argv (``osvm exec scheme prog.scm a b`` gives ("prog.scm" "a" "b"))."""
    vm = getattr(Running.ctx, "vm", None)
    task = vm.kernel.current if vm is not None and vm.kernel is not None else None
    argv = list(task.attrs.get("argv", ())) if task is not None else []
    return from_list([MString(str(a)) for a in argv or ["scheme"]])


def _environ() -> dict[str, str]:
    vm = getattr(Running.ctx, "vm", None)
    return getattr(vm, "environ", None) or {}


@prim("get-environment-variable", pure=False)
def get_environment_variable(name: Any) -> Any:
    if type(name) is not MString:
        raise error("get-environment-variable: not a string", name, kind="type")
    value = _environ().get(name.s)
    return False if value is None else MString(value)


@prim("get-environment-variables", pure=False)
def get_environment_variables() -> Any:
    from ..values import Pair
    return from_list([Pair(MString(k), MString(v)) for k, v in sorted(_environ().items())])


def _vm(m: Context) -> Any:
    if m.vm is None:
        raise error("the clock is not available here (no system)", kind="os")
    return m.vm


def _answer(convert: Any) -> Any:
    def reply(m: Context, value: Any) -> None:
        m.val = convert(m, value)
        m.node = None
    return reply


@control("current-jiffy")
def current_jiffy(m: Context) -> None:
    raise KernelRequest(_vm(m).os_binding("/os/time/now"), (), _answer(lambda m, v: v))


@control("jiffies-per-second")
def jiffies_per_second(m: Context) -> None:
    vm = _vm(m)
    if vm.clock_hz is not None:
        m.val = vm.clock_hz
        m.node = None
        return

    def remember(m: Context, hz: Any) -> Any:
        vm.clock_hz = hz
        return hz
    raise KernelRequest(vm.os_binding("/os/time/hz"), (), _answer(remember))


@control("current-second")
def current_second(m: Context) -> None:
    vm = _vm(m)
    if vm.clock_hz is None:
        def remember(m: Context, hz: Any) -> Any:
            vm.clock_hz = hz
            raise KernelRequest(vm.os_binding("/os/time/now"), (),
                                _answer(lambda m, now: vm.epoch + now / vm.clock_hz))
        raise KernelRequest(vm.os_binding("/os/time/hz"), (), _chain(remember))
    raise KernelRequest(vm.os_binding("/os/time/now"), (), _answer(lambda m, now: vm.epoch + now / vm.clock_hz))


def _chain(step: Any) -> Any:
    """A reply that makes a second system call: it runs at the next step of the machine."""
    from ..machine import Thunk

    def reply(m: Context, value: Any) -> None:
        m.node = Thunk(lambda m: step(m, value))
    return reply


@control("load")
def load(m: Context, name: Any, env: Any = None) -> None:
    from pathlib import Path

    from ..compiler import Compiler, Unit
    from ..library import interaction_environment
    from ..reader import Reader, ReadError
    if type(name) is not MString:
        raise error("load: file names are strings", name, kind="type")
    vm = _vm(m)
    path = Path(vm.base_dir) / name.s
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise error(f"load: cannot read {path}: {e.strerror}", kind="file") from None
    reader = Reader(text, str(path))
    try:
        forms = reader.read_all()
    except ReadError as e:
        raise error(f"load: {e}", kind="read") from None
    env = env or interaction_environment(vm)
    unit = Unit(vm, str(path))
    unit.add_reader(reader, forms)
    compiler = Compiler(unit)
    parts = []
    for form in forms:
        parts.extend(compiler.comp_top(form, env.top))
    m.env = None
    m.node = compiler.node(compiler.sequence(parts))
