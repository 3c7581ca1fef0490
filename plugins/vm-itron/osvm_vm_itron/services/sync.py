"""Task-dependent synchronisation: slp_tsk, tslp_tsk, wup_tsk, can_wup, rel_wai, sus_tsk, rsm_tsk, dly_tsk.

Sleeping, waking and delays are the core's own ``/os/task`` services (the
function, called directly); the personality adds ASP3's context checks, IDs
and the tick-aligned timeouts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osvm_core.errors import ContextError, ObjectStateError
from osvm_core.kernel import services as os_services
from osvm_core.kernel.task import TaskState

from ..constants import TMO_FEVR
from ..personality import itron_of
from . import ER_UINT, service

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel
    from osvm_core.kernel.task import Task


@service("slp_tsk", "func()", mechanism="`/os/task/sleep` (a queued wake-up returns at once)")
def slp_tsk(kernel: Kernel, task: Task) -> Any:
    """Sleep until woken."""
    itron = itron_of(kernel)
    itron.check_may_wait(task)
    itron.check_raster(task)
    return os_services.task_sleep(kernel, task, TMO_FEVR)


@service("tslp_tsk", "func(tmout: s32)", mechanism="`/os/task/sleep` with a timeout on the next tick boundary")
def tslp_tsk(kernel: Kernel, task: Task, tmout: Any) -> Any:
    """Sleep until woken, at most ``tmout`` ms (E_TMOUT)."""
    itron = itron_of(kernel)
    itron.check_may_wait(task)
    timeout = itron.timeout(tmout)
    itron.check_raster(task)
    return os_services.task_sleep(kernel, task, timeout)


@service("wup_tsk", "func(tskid: s32)", handler_name="iwup_tsk",
         mechanism="`/os/task/wakeup`: releases a sleeper, else one queued wake-up (E_QOVR past it)")
def wup_tsk(kernel: Kernel, task: Task, tskid: Any) -> None:
    """Wake a sleeping task, or queue one wake-up."""
    itron = itron_of(kernel)
    itron.check_unlocked()
    target = itron.task(tskid, task)
    os_services.task_wakeup(kernel, task, target.id)


@service("can_wup", "func(tskid: s32) -> s32", result=ER_UINT,
         mechanism="`/os/task/cancel_wakeups`")
def can_wup(kernel: Kernel, task: Task, tskid: Any) -> int:
    """Cancel the queued wake-ups of a task; returns how many there were."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    target = itron.task(tskid, task)
    if target.state is TaskState.DORMANT:
        raise ObjectStateError(f"task '{target.name}' is dormant")
    return os_services.task_cancel_wakeups(kernel, task, target.id)


@service("rel_wai", "func(tskid: s32)", handler_name="irel_wai",
         mechanism="`Kernel.release_wait`: the wait ends with E_RLWAI")
def rel_wai(kernel: Kernel, task: Task, tskid: Any) -> None:
    """Force a task out of its wait (E_OBJ if it does not wait)."""
    itron = itron_of(kernel)
    itron.check_unlocked()
    target = itron.task(tskid, task, self_allowed=False)
    kernel.release_wait(target)


@service("sus_tsk", "func(tskid: s32)", mechanism="`Kernel.suspend` (no nesting: E_QOVR)")
def sus_tsk(kernel: Kernel, task: Task, tskid: Any) -> None:
    """Suspend a task; a waiting task becomes waiting-suspended."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    target = itron.task(tskid, task)
    if target is task and itron.dispatch_pending():
        raise ContextError("sus_tsk of the calling task while dispatching is pending")
    if target.state is not TaskState.DORMANT:
        itron.check_raster(target)
    kernel.suspend(target)


@service("rsm_tsk", "func(tskid: s32)", mechanism="`Kernel.resume`")
def rsm_tsk(kernel: Kernel, task: Task, tskid: Any) -> None:
    """Resume a suspended task (E_OBJ if it is not suspended)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    kernel.resume(itron.task(tskid, task, self_allowed=False))


@service("frsm_tsk", "func(tskid: s32)", mechanism="`Kernel.resume` (suspension does not nest)")
def frsm_tsk(kernel: Kernel, task: Task, tskid: Any) -> None:
    """Forcibly resume a suspended task (μITRON 4.0; the same as rsm_tsk here)."""
    rsm_tsk(kernel, task, tskid)


@service("dly_tsk", "func(dlytim: u32)", mechanism="`/os/task/delay` to the tick boundary after `dlytim` ms")
def dly_tsk(kernel: Kernel, task: Task, dlytim: Any) -> Any:
    """Wait ``dlytim`` ms; the delay ends with E_OK (rel_wai: E_RLWAI)."""
    itron = itron_of(kernel)
    itron.check_may_wait(task)
    reltim = itron.reltim(dlytim)
    itron.check_raster(task)
    cycles = itron.due_cycle(itron.evt_after(reltim)) - kernel.board.now()
    return os_services.task_delay(kernel, task, cycles)
