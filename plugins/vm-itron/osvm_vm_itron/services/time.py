"""Time management: system time (get_tim, set_tim, adj_tim, fch_hrt), alarm and cyclic handlers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osvm_core.errors import ObjectStateError, ParameterError
from osvm_core.names.tree import EntryKind

from ..constants import TALM_STA, TALM_STP, TCYC_STA, TCYC_STP, TMAX_ADJTIM, TMIN_ADJTIM
from ..personality import itron_of
from ..timeevents import Notification, TimeEventHandler
from . import ER_OUT, VALUE, service

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel
    from osvm_core.kernel.task import Task


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"{what} must be an integer, got {value!r}")
    return value


@service("get_tim", "func() -> s64", result=ER_OUT, mechanism="board ticks (1 ms) + adj_tim + set_tim offsets")
def get_tim(kernel: Kernel, task: Task) -> int:
    """The system time in ms; it never goes back after adj_tim with a negative adjustment (ASP3)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    return itron.system_time()


@service("set_tim", "func(systim: s64)", mechanism="the system-time offset; relative time events do not move")
def set_tim(kernel: Kernel, task: Task, systim: Any) -> None:
    """Set the system time (ms)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    itron.set_system_time(_int(systim, "systim"))


@service("adj_tim", "func(adjtim: s32)",
         mechanism="event time shifted; the kernel's pending time events of μITRON tasks and handlers move")
def adj_tim(kernel: Kernel, task: Task, adjtim: Any) -> None:
    """Adjust the system time by ``adjtim`` ms (ASP3), within ±1 s."""
    itron = itron_of(kernel)
    itron.check_unlocked()
    adjtim = _int(adjtim, "adjtim")
    if not TMIN_ADJTIM <= adjtim <= TMAX_ADJTIM:
        raise ParameterError(f"adjtim must be {TMIN_ADJTIM}..{TMAX_ADJTIM} ms, got {adjtim}")
    evt = itron.evt_now()
    if adjtim > 0:
        oldest = itron.events.oldest_unprocessed()
        if oldest is not None and oldest + TMAX_ADJTIM <= evt:
            raise ObjectStateError("a time event more than 1 s old is still unprocessed")
    elif adjtim < 0 and itron.monotonic - evt >= -TMIN_ADJTIM:
        raise ObjectStateError("the system time is already 1 s behind its latest value")
    itron.shift_time(adjtim)


@service("fch_hrt", "func() -> u64", result=VALUE, mechanism="the board's cycle counter in µs")
def fch_hrt(kernel: Kernel, task: Task) -> int:
    """The high-resolution timer in µs (ASP3; any context)."""
    return kernel.board.now() * 1_000_000 // kernel.board.clock_hz


# ---------------------------------------------------------------- alarm handlers
def _handler_binding(kernel: Kernel, task: Task, path: Any) -> Any:
    if not isinstance(path, str):
        raise ParameterError(f"a handler is named by the path of a procedure, got {path!r}")
    binding = kernel.bind(task.vm_name, path, None)
    if binding.entry.kind is not EntryKind.PROCEDURE:
        raise ParameterError(f"{path} is not a procedure")
    return binding


@service("acre_alm", "func(almhdr: string, exinf: any) -> s32", result=ER_OUT,
         mechanism="a `TimeEventHandler` whose entry runs on the time event task")
def acre_alm(kernel: Kernel, task: Task, almhdr: Any, exinf: Any = 0) -> int:
    """Create an alarm handler that calls the procedure at path ``almhdr`` with ``exinf``; its ID."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    binding = _handler_binding(kernel, task, almhdr)
    name = f"alm{len(itron.table('alm')) + 1}"
    return itron.events.add(TimeEventHandler("alm", name, Notification("handler", binding, exinf)))


@service("sta_alm", "func(almid: s32, almtim: u32)", mechanism="a kernel time event on the tick after `almtim` ms")
def sta_alm(kernel: Kernel, task: Task, almid: Any, almtim: Any) -> None:
    """Start an alarm handler: it runs once, ``almtim`` ms from now."""
    itron = itron_of(kernel)
    itron.check_unlocked()
    handler = itron.get("alm", almid)
    itron.events.start(handler, itron.reltim(almtim))


@service("stp_alm", "func(almid: s32)", mechanism="its kernel time event cancelled")
def stp_alm(kernel: Kernel, task: Task, almid: Any) -> None:
    """Stop an alarm handler."""
    itron = itron_of(kernel)
    itron.check_unlocked()
    itron.events.stop(itron.get("alm", almid))


@service("ref_alm", "func(almid: s32) -> tuple<u32, u32>", result=ER_OUT, mechanism="the handler's state")
def ref_alm(kernel: Kernel, task: Task, almid: Any) -> tuple[int, int]:
    """T_RALM: (almstat, lefttim)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    handler = itron.get("alm", almid)
    return (TALM_STA if handler.started else TALM_STP, itron.events.left(handler))


# ---------------------------------------------------------------- cyclic handlers
@service("acre_cyc", "func(cychdr: string, exinf: any, cyctim: u32, cycphs: u32, start: bool) -> s32",
         result=ER_OUT, mechanism="a `TimeEventHandler` whose entry runs on the time event task")
def acre_cyc(kernel: Kernel, task: Task, cychdr: Any, exinf: Any, cyctim: Any, cycphs: Any = 0,
             start: bool = False) -> int:
    """Create a cyclic handler (period ``cyctim`` ms, phase ``cycphs``); started at once with ``start``."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    binding = _handler_binding(kernel, task, cychdr)
    period = itron.reltim(cyctim)
    if period == 0:
        raise ParameterError("a cyclic handler needs a period of at least 1 ms")
    name = f"cyc{len(itron.table('cyc')) + 1}"
    handler = TimeEventHandler("cyc", name, Notification("handler", binding, exinf), cyctim=period,
                               cycphs=itron.reltim(cycphs))
    ident = itron.events.add(handler)
    if start:
        itron.events.start(handler, handler.cycphs)
    return ident


@service("sta_cyc", "func(cycid: s32)", mechanism="a kernel time event `cycphs` ms after the call, then every `cyctim`")
def sta_cyc(kernel: Kernel, task: Task, cycid: Any) -> None:
    """Start a cyclic handler."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    handler = itron.get("cyc", cycid)
    itron.events.start(handler, handler.cycphs)


@service("stp_cyc", "func(cycid: s32)", mechanism="its kernel time event cancelled")
def stp_cyc(kernel: Kernel, task: Task, cycid: Any) -> None:
    """Stop a cyclic handler."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    itron.events.stop(itron.get("cyc", cycid))


@service("ref_cyc", "func(cycid: s32) -> tuple<u32, u32>", result=ER_OUT, mechanism="the handler's state")
def ref_cyc(kernel: Kernel, task: Task, cycid: Any) -> tuple[int, int]:
    """T_RCYC: (cycstat, lefttim)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    handler = itron.get("cyc", cycid)
    return (TCYC_STA if handler.started else TCYC_STP, itron.events.left(handler))
