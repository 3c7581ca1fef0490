"""Reading μITRON states off the OS layer: task states, what a task waits for, time left."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osvm_core.kernel.mutex import Mutex
from osvm_core.kernel.task import RUNNABLE, TaskState

from .constants import (
    TMO_FEVR,
    TTS_DMT,
    TTS_RDY,
    TTS_RUN,
    TTS_SUS,
    TTS_WAI,
    TTS_WAS,
    TTW_DLY,
    TTW_MPF,
    TTW_MTX,
    TTW_SEM,
    TTW_SLP,
)

if TYPE_CHECKING:
    from osvm_core.kernel.task import Task

    from .personality import Itron

_WAIT_CAUSES = {"slp": TTW_SLP, "dly": TTW_DLY, "sem": TTW_SEM, "mtx": TTW_MTX, "mpf": TTW_MPF}


def task_status(itron: Itron, task: Task) -> int:
    state = task.state
    if state in RUNNABLE:
        return TTS_RUN if itron.is_running(task) else TTS_RDY
    return {TaskState.WAITING: TTS_WAI, TaskState.SUSPENDED: TTS_SUS,
            TaskState.WAITING_SUSPENDED: TTS_WAS}.get(state, TTS_DMT)


def waiting_on(itron: Itron, task: Task) -> tuple[str, Any] | None:
    """(cause, object) of a task's wait: ("slp", None), ("dly", None), ("sem", sem), ...; None if not waiting."""
    record = task.wait
    if record is None:
        return None
    if record.data == "sleep":
        return ("slp", None)
    if record.data == "delay":
        return ("dly", None)
    if type(record.data) is Mutex:
        return ("mtx", record.data)
    for kind in ("sem", "mpf"):
        for obj in itron.tables[kind]:
            if obj.queue is record.queue:
                return (kind, obj)
        for obj in itron.kernel.objects.all(kind):
            if obj.queue is record.queue:
                return (kind, obj)
    return ("other", None)


def left_to_wait(itron: Itron, task: Task) -> int:
    """ms before the task's wait times out (its delay ends); TMO_FEVR without a timeout."""
    record = task.wait
    if record is None or record.timer is None or record.timer.cancelled:
        return TMO_FEVR
    return itron.left(record.timer.due)


def wait_info(itron: Itron, task: Task) -> tuple[int, int, int]:
    """(tskwait, wobjid, lefttmo) of T_RTSK; zeros when the task does not wait."""
    what = waiting_on(itron, task)
    if what is None:
        return (0, 0, 0)
    cause, obj = what
    wobjid = itron.id_of(cause, obj) if obj is not None else 0
    return (_WAIT_CAUSES.get(cause, 0), wobjid, left_to_wait(itron, task))
