"""System state: CPU lock, dispatch disable, the interrupt priority mask, rot_rdq, get_tid, sns_*.

CPU lock, dispatch disable and a raised mask make dispatching *pending*: the
``itron`` policy keeps the running task on the processor until all three are
released, and the next dispatch then runs the best ready task.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osvm_core.errors import ParameterError

from ..constants import TIPM_ENAALL, TMAX_TPRI, TMIN_TPRI, TPRI_SELF
from ..personality import itron_of
from . import ER_OUT, VALUE, service

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel
    from osvm_core.kernel.task import Task

TMIN_INTPRI = -15


@service("loc_cpu", "func()", handler_name="iloc_cpu", mechanism="CPU lock flag; the `itron` policy holds dispatching")
def loc_cpu(kernel: Kernel, task: Task) -> None:
    """Lock the CPU: no dispatching, and most services answer E_CTX until unl_cpu."""
    itron = itron_of(kernel)
    itron.cpu_locked = True
    itron.update_dispatch()


@service("unl_cpu", "func()", handler_name="iunl_cpu", mechanism="CPU lock flag cleared; a pending dispatch happens")
def unl_cpu(kernel: Kernel, task: Task) -> None:
    """Unlock the CPU."""
    itron_of(kernel).unlock_cpu()


@service("dis_dsp", "func()", mechanism="dispatch-disabled flag; the `itron` policy holds dispatching")
def dis_dsp(kernel: Kernel, task: Task) -> None:
    """Disable dispatching (task context)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    itron.dispatch_disabled = True
    itron.update_dispatch()


@service("ena_dsp", "func()", mechanism="dispatch-disabled flag cleared; a pending dispatch happens")
def ena_dsp(kernel: Kernel, task: Task) -> None:
    """Enable dispatching (task context)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    itron.dispatch_disabled = False
    itron.update_dispatch()


@service("chg_ipm", "func(intpri: s32)", mechanism="the mask (ASP3); a raised mask holds dispatching")
def chg_ipm(kernel: Kernel, task: Task, intpri: Any) -> None:
    """Change the interrupt priority mask (ASP3): TIPM_ENAALL (0) or a negative priority."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    if isinstance(intpri, bool) or not isinstance(intpri, int) or not TMIN_INTPRI <= intpri <= TIPM_ENAALL:
        raise ParameterError(f"intpri must be {TMIN_INTPRI}..{TIPM_ENAALL}, got {intpri!r}")
    itron.ipm = intpri
    itron.update_dispatch()


@service("get_ipm", "func() -> s32", result=ER_OUT, mechanism="the mask (ASP3)")
def get_ipm(kernel: Kernel, task: Task) -> int:
    """The interrupt priority mask (ASP3)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    return itron.ipm


@service("rot_rdq", "func(tskpri: s32)", handler_name="irot_rdq",
         mechanism="the `itron` policy's ready queue of that priority rotated")
def rot_rdq(kernel: Kernel, task: Task, tskpri: Any) -> None:
    """Rotate the ready queue of a priority (TPRI_SELF: the caller's base priority)."""
    itron = itron_of(kernel)
    itron.check_unlocked()
    if tskpri == TPRI_SELF and not isinstance(tskpri, bool):
        if itron.in_handler(task):
            raise ParameterError("TPRI_SELF names no priority in non-task context")
        level = task.base_priority
    elif isinstance(tskpri, int) and not isinstance(tskpri, bool) and TMIN_TPRI <= tskpri <= TMAX_TPRI:
        level = tskpri
    else:
        raise ParameterError(f"tskpri must be TPRI_SELF or {TMIN_TPRI}..{TMAX_TPRI}, got {tskpri!r}")
    for policy in itron.policies():
        policy.rotate_level(level)


@service("get_tid", "func() -> s32", result=ER_OUT, handler_name="iget_tid",
         mechanism="the caller, or the running task from non-task context")
def get_tid(kernel: Kernel, task: Task) -> int:
    """The ID of the running task (TSK_NONE if none)."""
    itron = itron_of(kernel)
    itron.check_unlocked()
    running = itron.running() if itron.in_handler(task) else task
    return itron.id_of("tsk", running) if running is not None else 0


@service("sns_ctx", "func() -> bool", result=VALUE, mechanism="is the caller a kernel-domain handler task")
def sns_ctx(kernel: Kernel, task: Task) -> bool:
    """True in non-task context."""
    return itron_of(kernel).in_handler(task)


@service("sns_loc", "func() -> bool", result=VALUE, mechanism="the CPU lock flag")
def sns_loc(kernel: Kernel, task: Task) -> bool:
    """True while the CPU is locked."""
    return itron_of(kernel).cpu_locked


@service("sns_dsp", "func() -> bool", result=VALUE, mechanism="the dispatch-disabled flag")
def sns_dsp(kernel: Kernel, task: Task) -> bool:
    """True while dispatching is disabled."""
    return itron_of(kernel).dispatch_disabled


@service("sns_dpn", "func() -> bool", result=VALUE, mechanism="handler context, CPU lock, mask or dispatch disable")
def sns_dpn(kernel: Kernel, task: Task) -> bool:
    """True while dispatching is pending."""
    itron = itron_of(kernel)
    return itron.in_handler(task) or itron.dispatch_pending()
