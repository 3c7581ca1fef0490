"""Task management: act_tsk, can_act, ext_tsk, ter_tsk, chg_pri, get_pri, get_inf, ref_tsk, get_tst."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osvm_core.errors import (
    ContextError,
    IllegalUse,
    ObjectStateError,
    OsvmError,
    ParameterError,
    QueueOverflow,
)
from osvm_core.kernel.task import TaskState

from ..constants import E_RASTER, TMAX_TPRI, TMIN_TPRI, TPRI_INI
from ..personality import Itron, itron_of
from ..states import task_status, wait_info
from . import ER_OUT, ER_UINT, VALUE, service

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel
    from osvm_core.kernel.task import Task


def start_at_initial_priority(kernel: Kernel, itron: Itron, task: Task) -> None:
    """μITRON and ASP3 start a task at its initial priority, whatever chg_pri did before it ended;
    ASP3 also clears its termination request and allows termination again."""
    task.attrs["itron.raster"] = task.attrs["itron.dister"] = False
    initial = itron.initial_priority(task)
    if task.state is TaskState.DORMANT:
        task.base_priority = initial
    elif task.base_priority != initial and not task.mutexes:
        old = task.priority
        task.base_priority = task.priority = initial    # restarted from its activation queue
        kernel.reposition(task, old)


@service("act_tsk", "func(tskid: s32)", handler_name="iact_tsk",
         mechanism="`Kernel.activate`: DORMANT → READY, else one queued activation (E_QOVR past it)")
def act_tsk(kernel: Kernel, task: Task, tskid: Any) -> None:
    """Activate a task; a task that is not dormant gets one queued activation."""
    itron = itron_of(kernel)
    itron.check_unlocked()
    target = itron.task(tskid, task)
    if target.state is not TaskState.DORMANT and target.attrs.get("noactque"):
        raise QueueOverflow(f"task '{target.name}' has TA_NOACTQUE")
    start_at_initial_priority(kernel, itron, target)
    kernel.activate(target)


@service("can_act", "func(tskid: s32) -> s32", result=ER_UINT,
         mechanism="`Task.activations` read and cleared")
def can_act(kernel: Kernel, task: Task, tskid: Any) -> int:
    """Cancel the queued activations of a task; returns how many there were."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    target = itron.task(tskid, task)
    count, target.activations = target.activations, 0
    return count


@service("ext_tsk", "func()", mechanism="`Kernel.end_task` of the caller (a queued activation restarts it)")
def ext_tsk(kernel: Kernel, task: Task) -> None:
    """End the calling task; CPU lock, dispatch disable and the mask are released (ASP3)."""
    itron = itron_of(kernel)
    if itron.in_handler(task):
        raise ContextError("ext_tsk from non-task context")
    itron.dispatch_disabled = False
    itron.ipm = 0
    itron.unlock_cpu()
    kernel.end_task(task)
    if task.state is not TaskState.DORMANT:
        start_at_initial_priority(kernel, itron, task)


@service("ter_tsk", "func(tskid: s32)", mechanism="`Kernel.end_task(how='terminated')`")
def ter_tsk(kernel: Kernel, task: Task, tskid: Any) -> None:
    """Terminate another task (E_ILUSE on the caller, E_OBJ on a dormant task)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    target = itron.task(tskid, task)
    if target is task:
        raise IllegalUse("ter_tsk cannot terminate the calling task")
    if target.state is TaskState.DORMANT:
        raise ObjectStateError(f"task '{target.name}' is dormant")
    _terminate(kernel, itron, target)


@service("chg_pri", "func(tskid: s32, tskpri: s32)",
         mechanism="`Kernel.change_priority`: new base priority, last of its level; mutex ceilings checked")
def chg_pri(kernel: Kernel, task: Task, tskid: Any, tskpri: Any) -> None:
    """Change a task's base priority (TPRI_INI: back to its initial priority)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    target = itron.task(tskid, task)
    if tskpri == TPRI_INI:
        priority = itron.initial_priority(target)
    elif isinstance(tskpri, int) and not isinstance(tskpri, bool) and TMIN_TPRI <= tskpri <= TMAX_TPRI:
        priority = tskpri
    else:
        raise ParameterError(f"tskpri must be TPRI_INI or {TMIN_TPRI}..{TMAX_TPRI}, got {tskpri!r}")
    if target.state is TaskState.DORMANT:
        raise ObjectStateError(f"task '{target.name}' is dormant")
    kernel.change_priority(target, priority)


@service("get_pri", "func(tskid: s32) -> s32", result=ER_OUT, mechanism="`Task.priority` (the current priority)")
def get_pri(kernel: Kernel, task: Task, tskid: Any) -> int:
    """A task's current priority."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    target = itron.task(tskid, task)
    if target.state is TaskState.DORMANT:
        raise ObjectStateError(f"task '{target.name}' is dormant")
    return target.priority


@service("get_inf", "func() -> any", result=ER_OUT, mechanism="the task's extended information (`Task.attrs`)")
def get_inf(kernel: Kernel, task: Task) -> Any:
    """The calling task's extended information (ASP3)."""
    itron_of(kernel).check_task_context(task)
    return task.attrs.get("exinf", 0)


@service("get_tst", "func(tskid: s32) -> s32", result=ER_OUT, mechanism="`Task.state` as TTS_*")
def get_tst(kernel: Kernel, task: Task, tskid: Any) -> int:
    """A task's state: TTS_RUN, TTS_RDY, TTS_WAI, TTS_SUS, TTS_WAS or TTS_DMT (ASP3)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    return task_status(itron, itron.task(tskid, task))


@service("ref_tsk", "func(tskid: s32) -> tuple<s32, s32, s32, s32, s32, s32, u32, u32>", result=ER_OUT,
         mechanism="`Task` state, priorities, wait record, queued requests")
def ref_tsk(kernel: Kernel, task: Task, tskid: Any) -> tuple[int, ...]:
    """T_RTSK: (tskstat, tskpri, tskbpri, tskwait, wobjid, lefttmo, actcnt, wupcnt)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    target = itron.task(tskid, task)
    status = task_status(itron, target)
    tskwait, wobjid, lefttmo = wait_info(itron, target)
    return (status, target.priority, target.base_priority, tskwait, wobjid, lefttmo,
            target.activations, target.wakeups)



# ---------------------------------------------------------------- ASP3 task termination requests
@service("ras_ter", "func(tskid: s32)",
         mechanism="`Kernel.end_task`; with termination disabled: a flag, the wait released (`Kernel.release`, "
                   "E_RASTER), suspension lifted")
def ras_ter(kernel: Kernel, task: Task, tskid: Any) -> None:
    """Request a task's termination (ASP3): it ends now, or when it allows termination again."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    target = itron.task(tskid, task)
    if target.state is TaskState.DORMANT:
        raise ObjectStateError(f"task '{target.name}' is dormant")
    if not target.attrs.get("itron.dister"):
        _terminate(kernel, itron, target)
        return
    target.attrs["itron.raster"] = True
    if target.wait is not None:
        kernel.release(target, error=OsvmError(f"task '{target.name}' has a termination request",
                                               code=E_RASTER), cancelled=True)
    if target.state is TaskState.SUSPENDED:
        kernel.resume(target)


def _terminate(kernel: Kernel, itron: Itron, target: Task) -> None:
    kernel.end_task(target, how="terminated")
    if target.state is not TaskState.DORMANT:
        start_at_initial_priority(kernel, itron, target)


@service("dis_ter", "func()", mechanism="the task's termination-disabled flag")
def dis_ter(kernel: Kernel, task: Task) -> None:
    """Disable the calling task's termination by ras_ter (ASP3)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    task.attrs["itron.dister"] = True


@service("ena_ter", "func()", mechanism="the flag cleared; a pending request ends the task (`Kernel.end_task`)")
def ena_ter(kernel: Kernel, task: Task) -> None:
    """Allow the calling task's termination again; a pending request ends it now (ASP3)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    if itron.dispatch_pending():
        raise ContextError("ena_ter while dispatching is pending")
    task.attrs["itron.dister"] = False
    if task.attrs.get("itron.raster"):
        _terminate(kernel, itron, task)


@service("sns_ter", "func() -> bool", result=VALUE, mechanism="the task's termination-disabled flag")
def sns_ter(kernel: Kernel, task: Task) -> bool:
    """True while the calling task's termination is disabled (ASP3)."""
    return bool(task.attrs.get("itron.dister"))
