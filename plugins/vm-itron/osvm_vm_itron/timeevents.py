"""Alarm and cyclic handlers: time events of the OS layer, run by one OS-layer handler task.

Each alarm or cyclic handler keeps its next event time in ms; the kernel's
timer queue holds one time event for it on the matching board cycle. When it
is due, the handler joins a queue of due handlers served by the *time event
task*: a daemon task of the kernel domain (so every call it makes is from
non-task context, and it runs before any task of a VM domain). For each due
handler, in order of event time, the task

- marks the handler fired (an alarm stops; a cyclic handler is set up for its
  next period),
- and either calls the handler's entry — a procedure of some VM, which runs as
  a frame pushed on this task like any cross-VM call, so ``hdlstat`` is
  ACTIVATE until it returns — or performs the ASP3 notification itself
  (TNFY_SIGSEM, TNFY_ACTTSK, TNFY_WUPTSK, with their error notifications).

Handlers therefore run one after another, as ASP3 calls them from its timer
interrupt: a handler that is due while another runs waits (ASP3's unprocessed
time events, which adj_tim checks), and so does one that is due while a task
holds the CPU lock (the lock masks the timer interrupt) until unl_cpu. When a
handler returns with the CPU locked, the lock is released (ASP3). A handler that faults ends the task with
a fault report; the task is set up again at the next time event.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING, Any

from osvm_core.errors import OsvmError
from osvm_core.events import Call
from osvm_core.kernel.task import Frame, TaskState
from osvm_core.kernel.wait import TMO_FEVR
from osvm_core.names.binding import Binding
from osvm_core.names.signature import parse_signature
from osvm_core.names.tree import Entry, EntryKind
from osvm_core.vm import VM

if TYPE_CHECKING:
    from osvm_core.kernel.task import Task
    from osvm_core.kernel.timers import TimeEvent

    from .personality import Itron

#: Priority of the time event task in the kernel domain (interrupt tasks have their lines' priorities).
TIME_EVENT_PRIORITY = 1
WAIT_DATA = "itron time events"


@dataclass(eq=False)
class Notification:
    """What a time event does: call a handler entry, or an ASP3 notification."""

    kind: str                       # "handler" | "sigsem" | "acttsk" | "wuptsk"
    target: Any = None              # a Binding of the handler entry, or an object ID
    exinf: Any = 0


@dataclass(eq=False)
class TimeEventHandler:
    """An alarm ("alm") or cyclic ("cyc") handler."""

    kind: str
    name: str
    notify: Notification
    error_notify: Notification | None = None
    cyctim: int = 0
    cycphs: int = 0
    started: bool = False           # almstat TALM_STA / cycstat TCYC_STA
    evt: int | None = None          # event time (ms) of the next or pending firing
    timer: TimeEvent | None = None  # the kernel's time event for ``evt``
    queued: bool = False            # due, waiting for the time event task
    active: bool = False            # its handler runs now (hdlstat ACTIVATE)
    fired: int = 0


@dataclass
class _Context:
    events: TimeEvents
    returning: TimeEventHandler | None = None


class TimeEventVM(VM):
    """Runs the time event task: serve due handlers in order, else wait to be released."""

    kind = "itron-time-events"

    def run(self, context: _Context, budget: int) -> Call:
        events = context.events
        if context.returning is not None:
            events.finished(context.returning)
            context.returning = None
        while events.queue:
            if events.itron.cpu_locked:       # a task locked the CPU: time events wait for unl_cpu
                break
            handler = events.pop()
            notify = events.fire(handler)
            if notify is None:
                continue
            if notify.kind == "handler":
                handler.active = True
                events.current = handler
                context.returning = handler
                return Call(0, notify.target, (notify.exinf,))
            events.notify(handler, notify)
        return Call(0, events.wait_binding, ())

    def deliver(self, context: _Context, value: Any) -> None:
        pass

    def fail(self, context: _Context, error: OsvmError) -> None:
        if context.returning is not None:
            self.kernel.diagnostics(f"osvm: itron handler {context.returning.name} could not start: {error}")

    def describe(self, context: _Context) -> str:
        current = context.events.current
        return f"itron time events ({'handler ' + current.name if current else 'idle'})"


def _wait_for_time_events(kernel: Any, task: Task) -> Any:
    if task.attrs.get("itron.events") is None:
        raise OsvmError("only the time event task waits here")
    return kernel.wait(task, None, TMO_FEVR, WAIT_DATA, data=WAIT_DATA)


class TimeEvents:
    def __init__(self, itron: Itron) -> None:
        self.itron = itron
        self.kernel = itron.kernel
        self.queue: list[tuple[int, int, TimeEventHandler]] = []
        self._seq = count()
        self.current: TimeEventHandler | None = None
        self.task: Task | None = None
        self.vm = TimeEventVM("itron-time-events")
        self.vm.attach(self.kernel)
        entry = Entry(path="/itron/kernel/wait_time_events", kind=EntryKind.SERVICE,
                      signature=parse_signature("func()"), owner="os", procedure=_wait_for_time_events,
                      rights="owner", doc="the time event task waits for due handlers (internal)")
        self.wait_binding = Binding(entry.path, entry, entry.signature, "kernel")
        self.handlers: list[TimeEventHandler] = []

    # ------------------------------------------------------------------ configuration
    def add(self, handler: TimeEventHandler) -> int:
        self.handlers.append(handler)
        return self.itron.add(handler.kind, handler, handler.name)

    def start(self, handler: TimeEventHandler, reltim: int) -> None:
        """sta_alm (reltim) or sta_cyc (reltim = the phase): the first firing ``reltim`` ms from now."""
        self._unqueue(handler)
        handler.started = True
        self.schedule(handler, self.itron.evt_after(reltim))

    def stop(self, handler: TimeEventHandler) -> None:
        self._unqueue(handler)
        handler.started = False
        self.kernel.timers.cancel(handler.timer)
        handler.timer = None

    def schedule(self, handler: TimeEventHandler, evt: int) -> None:
        self.kernel.timers.cancel(handler.timer)
        handler.evt = evt
        handler.timer = self.kernel.timers.schedule(self.itron.due_cycle(evt), lambda: self._due(handler))

    def reschedule(self) -> None:
        """adj_tim moved event time: every pending time event moves with it."""
        for handler in self.handlers:
            if handler.timer is not None and not handler.timer.cancelled and handler.evt is not None:
                self.schedule(handler, handler.evt)

    def left(self, handler: TimeEventHandler) -> int:
        """ms before the handler fires (lefttim); 0 once due."""
        if handler.evt is None or not handler.started:
            return 0
        return max(0, handler.evt - self.itron.evt_now() - 1)

    def oldest_unprocessed(self) -> int | None:
        """Event time of the earliest handler that is due and not yet served (adj_tim's check)."""
        return self.queue[0][0] if self.queue else None

    def running(self, handler: TimeEventHandler) -> bool:
        task = self.task
        return handler.active and task is not None and task.state is not TaskState.DORMANT

    # ------------------------------------------------------------------ firing
    def due_now(self, handler: TimeEventHandler) -> None:
        """The handler is due at its ``evt`` now: it joins the queue of the time event task."""
        self.kernel.timers.cancel(handler.timer)
        self._due(handler)

    def _due(self, handler: TimeEventHandler) -> None:
        handler.timer = None
        handler.queued = True
        heapq.heappush(self.queue, (handler.evt, next(self._seq), handler))
        self.wake()

    def _unqueue(self, handler: TimeEventHandler) -> None:
        if handler.queued:
            handler.queued = False
            self.queue = [item for item in self.queue if item[2] is not handler]
            heapq.heapify(self.queue)

    def pop(self) -> TimeEventHandler:
        _, _, handler = heapq.heappop(self.queue)
        handler.queued = False
        return handler

    def fire(self, handler: TimeEventHandler) -> Notification | None:
        """The handler's time has come: an alarm stops, a cyclic handler is set for its next period."""
        if not handler.started:
            return None
        handler.fired += 1
        if handler.kind == "alm":
            handler.started = False
        else:
            self.schedule(handler, handler.evt + handler.cyctim)
        return handler.notify

    def notify(self, handler: TimeEventHandler, notify: Notification) -> None:
        """An ASP3 notification, performed from non-task context; on error, the error notification."""
        from .services import SERVICES

        name = {"sigsem": "sig_sem", "acttsk": "act_tsk", "wuptsk": "wup_tsk"}[notify.kind]
        try:
            SERVICES[name].function(self.kernel, self.task, notify.target)
        except OsvmError as error:
            fallback = handler.error_notify
            if fallback is None:
                self.kernel.diagnostics(f"osvm: itron {handler.kind} {handler.name}: {name} failed: {error}")
                return
            name = {"sigsem": "sig_sem", "acttsk": "act_tsk", "wuptsk": "wup_tsk"}[fallback.kind]
            try:
                SERVICES[name].function(self.kernel, self.task, fallback.target)
            except OsvmError as second:
                self.kernel.diagnostics(f"osvm: itron {handler.kind} {handler.name}: error notification "
                                        f"{name} failed: {second}")

    def finished(self, handler: TimeEventHandler) -> None:
        handler.active = False
        self.current = None
        if self.itron.cpu_locked:            # ASP3: a handler that returns with the CPU locked unlocks it
            self.itron.cpu_locked = False
            self.itron.update_dispatch()

    def wake(self) -> None:
        task = self.ensure_task()
        record = task.wait
        if record is not None and record.data == WAIT_DATA:
            self.kernel.release(task, None)

    def ensure_task(self) -> Task:
        """The time event task: made on first use, and again after a handler faulted and ended it."""
        kernel = self.kernel
        task = self.task
        if task is None:
            task = kernel.create_task("itron.time-events", "kernel", None, priority=TIME_EVENT_PRIORITY,
                                      daemon=True, attrs={"itron.events": True})
            self.task = task
        if task.state is TaskState.DORMANT:
            if self.current is not None:
                self.current.active = False
                self.current = None
            task.frames.append(Frame(self.vm, _Context(self)))
            kernel.activate(task)
        return task

