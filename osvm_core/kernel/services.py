"""The system-call table: OS services published as ordinary entries under ``/os``.

Every VM reaches the OS the same way, by binding an entry and calling it, so
this table *is* the system-call interface (``osvm names /os`` lists it). A
service is ``function(kernel, task, *args)``: it returns the result, raises an
OsvmError (the caller's VM decides how its guest sees the code), or returns
``BLOCKED`` after putting the caller into a wait.

Timeouts and delays are in cycles of the board clock; 0 polls, -1 waits forever.
Objects are named by a handle, an id, or (from the system file) a name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import NoSuchObject, ObjectStateError, ParameterError, QueueOverflow
from ..names.signature import Handle, parse_signature
from ..names.tree import Entry, EntryKind
from .mutex import Mutex
from .port import Port
from .semaphore import Semaphore
from .task import TaskState
from .wait import TMO_FEVR, check_order, check_timeout

if TYPE_CHECKING:
    from .kernel import Kernel
    from .task import Task


@dataclass(frozen=True)
class Service:
    path: str
    signature: str
    function: Callable[..., Any]
    doc: str
    rights: str = "public"


SERVICES: list[Service] = []


def service(path: str, signature: str, rights: str = "public") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def add(function: Callable[..., Any]) -> Callable[..., Any]:
        doc = (function.__doc__ or "").strip().splitlines()[0] if function.__doc__ else ""
        SERVICES.append(Service(path, signature, function, doc, rights))
        return function
    return add


def publish_services(kernel: Kernel) -> None:
    for item in SERVICES:
        kernel.names.publish(Entry(path=item.path, kind=EntryKind.SERVICE,
                                   signature=parse_signature(item.signature), owner="os",
                                   procedure=item.function, rights=item.rights, doc=item.doc))


def _handle(kind: str, obj: Any) -> Handle:
    return Handle(kind, obj.id)


def _timeout(value: Any) -> int:
    return check_timeout(value)


# ---------------------------------------------------------------- tasks
@service("/os/task/self", "func() -> handle<task>")
def task_self(kernel: Kernel, task: Task) -> Handle:
    """The calling task (get_tid)."""
    return _handle("task", task)


@service("/os/task/open", "func(name: string) -> handle<task>")
def task_open(kernel: Kernel, task: Task, name: str) -> Handle:
    """A task by its name."""
    return _handle("task", kernel.objects.get("task", name))


@service("/os/task/create", "func(name: string, entry: string, priority: s32) -> handle<task>")
def task_create(kernel: Kernel, task: Task, name: str, entry: str, priority: int) -> Handle:
    """A new dormant task of the caller's VM that will run the procedure at path ``entry``."""
    binding = kernel.bind(task.vm_name, entry, None)
    if binding.entry.owner not in kernel.vms:
        raise ParameterError(f"{entry} is not a procedure of a VM")
    if binding.entry.owner != task.vm_name:
        raise ParameterError(f"{entry} belongs to VM '{binding.entry.owner}'; a task runs in its own VM")
    created = kernel.create_task(name, task.vm_name, binding.entry, priority=priority)
    return _handle("task", created)


@service("/os/task/activate", "func(task: handle<task>)")
def task_activate(kernel: Kernel, task: Task, ref: Any) -> None:
    """Start a dormant task (act_tsk); one more activation is queued if it runs."""
    kernel.activate(kernel.task_of(ref, task))


@service("/os/task/exit", "func(code: s32)")
def task_exit(kernel: Kernel, task: Task, code: int = 0) -> None:
    """End the calling task (ext_tsk)."""
    kernel.end_task(task, code=code)


@service("/os/task/terminate", "func(task: handle<task>)")
def task_terminate(kernel: Kernel, task: Task, ref: Any) -> None:
    """End another task (ter_tsk); E_ILUSE on the caller itself."""
    target = kernel.task_of(ref, task)
    kernel.check_not_self(target, task, "terminate")
    if target.state is TaskState.DORMANT:
        raise ObjectStateError(f"task '{target.name}' is dormant")
    kernel.end_task(target, how="terminated")


@service("/os/task/suspend", "func(task: handle<task>)")
def task_suspend(kernel: Kernel, task: Task, ref: Any) -> None:
    """Suspend a task (sus_tsk); a waiting task becomes waiting-suspended."""
    kernel.suspend(kernel.task_of(ref, task))


@service("/os/task/resume", "func(task: handle<task>)")
def task_resume(kernel: Kernel, task: Task, ref: Any) -> None:
    """Resume a suspended task (rsm_tsk)."""
    kernel.resume(kernel.task_of(ref, task))


@service("/os/task/sleep", "func(timeout: s64)")
def task_sleep(kernel: Kernel, task: Task, timeout: int = TMO_FEVR) -> Any:
    """Sleep until woken (slp_tsk/tslp_tsk); a queued wake-up returns at once."""
    if task.wakeups:
        task.wakeups -= 1
        return None
    return kernel.wait(task, None, _timeout(timeout), "sleep", data="sleep")


@service("/os/task/wakeup", "func(task: handle<task>)")
def task_wakeup(kernel: Kernel, task: Task, ref: Any) -> None:
    """Wake a sleeping task, or queue one wake-up (wup_tsk; E_QOVR past one)."""
    target = kernel.task_of(ref, task)
    if target.state is TaskState.DORMANT:
        raise ObjectStateError(f"task '{target.name}' is dormant")
    if target.wait is not None and target.wait.data == "sleep":
        kernel.release(target, None)
    elif target.wakeups >= 1:
        raise QueueOverflow(f"task '{target.name}' already has a wake-up queued")
    else:
        target.wakeups += 1


@service("/os/task/cancel_wakeups", "func(task: handle<task>) -> s32")
def task_cancel_wakeups(kernel: Kernel, task: Task, ref: Any) -> int:
    """Drop queued wake-ups and say how many there were (can_wup)."""
    target = kernel.task_of(ref, task)
    count, target.wakeups = target.wakeups, 0
    return count


@service("/os/task/delay", "func(cycles: s64)")
def task_delay(kernel: Kernel, task: Task, cycles: int) -> Any:
    """Wait ``cycles`` cycles (dly_tsk); the delay ends normally, not with E_TMOUT."""
    if not isinstance(cycles, int) or cycles < 0:
        raise ParameterError(f"delay must be cycles >= 0, got {cycles!r}")
    blocked = kernel.wait(task, None, TMO_FEVR, "delay", data="delay")
    record = task.wait
    record.timer = kernel.timers.schedule(kernel.board.now() + cycles,
                                          lambda: task.wait is record and kernel.release(task, None))
    return blocked


@service("/os/task/delay_until", "func(cycle: s64)")
def task_delay_until(kernel: Kernel, task: Task, cycle: int) -> Any:
    """Wait until the clock reaches ``cycle`` (a periodic task's next release); always waits, if only to the next dispatch."""
    if not isinstance(cycle, int) or cycle < 0:
        raise ParameterError(f"delay_until takes a cycle >= 0, got {cycle!r}")
    blocked = kernel.wait(task, None, TMO_FEVR, "delay", data="delay")
    record = task.wait
    record.timer = kernel.timers.schedule(max(cycle, kernel.board.now()),
                                          lambda: task.wait is record and kernel.release(task, None))
    return blocked


@service("/os/task/release_wait", "func(task: handle<task>)")
def task_release_wait(kernel: Kernel, task: Task, ref: Any) -> None:
    """Force a task out of its wait with E_RLWAI (rel_wai)."""
    target = kernel.task_of(ref, task)
    kernel.check_not_self(target, task, "release_wait")
    kernel.release_wait(target)


@service("/os/task/set_priority", "func(task: handle<task>, priority: s32)")
def task_set_priority(kernel: Kernel, task: Task, ref: Any, priority: int) -> None:
    """Change a task's priority (chg_pri); 0 restores the initial priority."""
    target = kernel.task_of(ref, task)
    if priority == 0:
        priority = target.attrs.get("initial_priority", target.base_priority)
    kernel.change_priority(target, priority)


@service("/os/task/get_priority", "func(task: handle<task>) -> s32")
def task_get_priority(kernel: Kernel, task: Task, ref: Any) -> int:
    """A task's current priority (get_pri)."""
    target = kernel.task_of(ref, task)
    if target.state is TaskState.DORMANT:
        raise ObjectStateError(f"task '{target.name}' is dormant")
    return target.priority


@service("/os/task/state", "func(task: handle<task>) -> string")
def task_state(kernel: Kernel, task: Task, ref: Any) -> str:
    """A task's state name (ref_tsk): dormant, ready, running, waiting, suspended, waiting-suspended."""
    return kernel.task_of(ref, task).state.value


@service("/os/task/rotate", "func()")
def task_rotate(kernel: Kernel, task: Task) -> None:
    """Give the processor to the next ready task of the same domain (rot_rdq for the caller)."""
    task.domain.policy.rotate(task)


# ---------------------------------------------------------------- semaphores
@service("/os/sem/create", "func(count: s32, max: s32, order: string) -> handle<sem>")
def sem_create(kernel: Kernel, task: Task, count: int, maximum: int, order: str = "fifo") -> Handle:
    """A new counting semaphore (binary when max is 1); order is 'fifo' or 'priority'."""
    return _handle("sem", Semaphore(kernel, None, count, maximum, check_order(order), owner=task.vm_name))


@service("/os/sem/open", "func(name: string) -> handle<sem>")
def sem_open(kernel: Kernel, task: Task, name: str) -> Handle:
    """A semaphore declared in the system file, by name."""
    return _handle("sem", kernel.objects.get("sem", name))


@service("/os/sem/wait", "func(sem: handle<sem>, timeout: s64)")
def sem_wait(kernel: Kernel, task: Task, ref: Any, timeout: int = TMO_FEVR) -> Any:
    """Take one resource, waiting up to ``timeout`` (wai_sem/twai_sem; 0 polls: pol_sem)."""
    return kernel.objects.get("sem", ref).wait(task, _timeout(timeout))


@service("/os/sem/poll", "func(sem: handle<sem>)")
def sem_poll(kernel: Kernel, task: Task, ref: Any) -> Any:
    """Take one resource or fail with E_TMOUT at once (pol_sem)."""
    return kernel.objects.get("sem", ref).wait(task, 0)


@service("/os/sem/signal", "func(sem: handle<sem>)")
def sem_signal(kernel: Kernel, task: Task, ref: Any) -> None:
    """Give one resource back, waking the first waiter (sig_sem; E_QOVR past the maximum)."""
    kernel.objects.get("sem", ref).signal()


@service("/os/sem/count", "func(sem: handle<sem>) -> s32")
def sem_count(kernel: Kernel, task: Task, ref: Any) -> int:
    """The current count (ref_sem)."""
    return kernel.objects.get("sem", ref).count


@service("/os/sem/delete", "func(sem: handle<sem>)")
def sem_delete(kernel: Kernel, task: Task, ref: Any) -> None:
    """Delete the semaphore; its waiters are released with E_DLT."""
    kernel.objects.get("sem", ref).delete()


# ---------------------------------------------------------------- mutexes
@service("/os/mtx/create", "func(protocol: string, ceiling: s32, order: string) -> handle<mtx>")
def mtx_create(kernel: Kernel, task: Task, protocol: str = "none", ceiling: int = 0, order: str = "") -> Handle:
    """A new mutex: protocol 'none', 'inherit' or 'ceiling' (ceiling: a priority, else 0); order '' = default."""
    return _handle("mtx", Mutex(kernel, None, protocol, ceiling or None, order or None, owner=task.vm_name))


@service("/os/mtx/open", "func(name: string) -> handle<mtx>")
def mtx_open(kernel: Kernel, task: Task, name: str) -> Handle:
    """A mutex declared in the system file, by name."""
    return _handle("mtx", kernel.objects.get("mtx", name))


@service("/os/mtx/lock", "func(mtx: handle<mtx>, timeout: s64)")
def mtx_lock(kernel: Kernel, task: Task, ref: Any, timeout: int = TMO_FEVR) -> Any:
    """Lock, waiting up to ``timeout`` (loc_mtx/tloc_mtx; 0 polls); E_OBJ if held, E_ILUSE above a ceiling."""
    return kernel.objects.get("mtx", ref).lock(task, _timeout(timeout))


@service("/os/mtx/poll", "func(mtx: handle<mtx>)")
def mtx_poll(kernel: Kernel, task: Task, ref: Any) -> Any:
    """Lock or fail with E_TMOUT at once (ploc_mtx)."""
    return kernel.objects.get("mtx", ref).lock(task, 0)


@service("/os/mtx/unlock", "func(mtx: handle<mtx>)")
def mtx_unlock(kernel: Kernel, task: Task, ref: Any) -> None:
    """Unlock (unl_mtx; E_OBJ unless the caller holds it); the first waiter gets the mutex."""
    kernel.objects.get("mtx", ref).unlock(task)


@service("/os/mtx/holder", "func(mtx: handle<mtx>) -> option<handle<task>>")
def mtx_holder(kernel: Kernel, task: Task, ref: Any) -> Handle | None:
    """The task holding the mutex, or none (ref_mtx)."""
    holder = kernel.objects.get("mtx", ref).holder
    return None if holder is None else _handle("task", holder)


@service("/os/mtx/held", "func(task: handle<task>) -> list<handle<mtx>>")
def mtx_held(kernel: Kernel, task: Task, ref: Any) -> list[Handle]:
    """The mutexes a task holds, in the order it locked them."""
    return [_handle("mtx", mutex) for mutex in kernel.task_of(ref, task).mutexes]


@service("/os/mtx/delete", "func(mtx: handle<mtx>)")
def mtx_delete(kernel: Kernel, task: Task, ref: Any) -> None:
    """Delete the mutex: its holder loses it, its waiters are released with E_DLT."""
    kernel.objects.get("mtx", ref).delete()


# ---------------------------------------------------------------- fixed-size pools
@service("/os/mpf/create", "func(block: u32, count: u32, order: string) -> handle<mpf>")
def mpf_create(kernel: Kernel, task: Task, block: int, count: int, order: str = "fifo") -> Handle:
    """A fixed-size pool of ``count`` blocks, stored in the caller's VM heap."""
    return _handle("mpf", kernel.create_fixed_pool(None, block, count, check_order(order), task.vm_name))


@service("/os/mpf/open", "func(name: string) -> handle<mpf>")
def mpf_open(kernel: Kernel, task: Task, name: str) -> Handle:
    """A fixed-size pool declared in the system file, by name."""
    return _handle("mpf", kernel.objects.get("mpf", name))


@service("/os/mpf/get", "func(mpf: handle<mpf>, timeout: s64) -> u32")
def mpf_get(kernel: Kernel, task: Task, ref: Any, timeout: int = TMO_FEVR) -> Any:
    """A block's address, waiting up to ``timeout`` for one (get_mpf/tget_mpf/pget_mpf)."""
    return kernel.objects.get("mpf", ref).get(task, _timeout(timeout))


@service("/os/mpf/release", "func(mpf: handle<mpf>, address: u32)")
def mpf_release(kernel: Kernel, task: Task, ref: Any, address: int) -> None:
    """Give a block back; the first waiter gets it (rel_mpf)."""
    kernel.objects.get("mpf", ref).release(address)


@service("/os/mpf/free", "func(mpf: handle<mpf>) -> u32")
def mpf_free(kernel: Kernel, task: Task, ref: Any) -> int:
    """Free blocks now (ref_mpf)."""
    return kernel.objects.get("mpf", ref).pool.free_count


@service("/os/mpf/delete", "func(mpf: handle<mpf>)")
def mpf_delete(kernel: Kernel, task: Task, ref: Any) -> None:
    """Delete the pool; waiters are released with E_DLT."""
    kernel.objects.get("mpf", ref).delete()


# ---------------------------------------------------------------- variable-size pools
@service("/os/mpl/create", "func(size: u32, order: string) -> handle<mpl>")
def mpl_create(kernel: Kernel, task: Task, size: int, order: str = "fifo") -> Handle:
    """A variable-size pool of ``size`` bytes in the caller's VM heap, placed by the VM's allocator."""
    return _handle("mpl", kernel.create_variable_pool(None, size, check_order(order), task.vm_name))


@service("/os/mpl/open", "func(name: string) -> handle<mpl>")
def mpl_open(kernel: Kernel, task: Task, name: str) -> Handle:
    """A variable-size pool declared in the system file, by name."""
    return _handle("mpl", kernel.objects.get("mpl", name))


@service("/os/mpl/get", "func(mpl: handle<mpl>, size: u32, timeout: s64) -> u32")
def mpl_get(kernel: Kernel, task: Task, ref: Any, size: int, timeout: int = TMO_FEVR) -> Any:
    """A block of ``size`` bytes, waiting up to ``timeout`` for room (get_mpl/tget_mpl/pget_mpl)."""
    return kernel.objects.get("mpl", ref).get(task, size, _timeout(timeout))


@service("/os/mpl/release", "func(mpl: handle<mpl>, address: u32)")
def mpl_release(kernel: Kernel, task: Task, ref: Any, address: int) -> None:
    """Give a block back; waiters are served from the head while they fit (rel_mpl)."""
    kernel.objects.get("mpl", ref).release(address)


@service("/os/mpl/delete", "func(mpl: handle<mpl>)")
def mpl_delete(kernel: Kernel, task: Task, ref: Any) -> None:
    """Delete the pool; waiters are released with E_DLT."""
    kernel.objects.get("mpl", ref).delete()


# ---------------------------------------------------------------- memory contents
def _held_block(kernel: Kernel, task: Task, address: int, size: int) -> None:
    """A VM may read and write only blocks it holds from pools."""
    if not isinstance(address, int) or not isinstance(size, int) or size < 0:
        raise ParameterError(f"bad memory range {address!r}+{size!r}")
    for kind in ("mpf", "mpl"):
        for pool in kernel.objects.all(kind):
            for start, holder in pool.holders.items():
                if holder != task.vm_name:
                    continue
                length = pool.pool.block_size if kind == "mpf" else pool.pool.size_of(start)
                if start <= address and address + size <= start + length:
                    return
    from ..errors import AccessViolation
    raise AccessViolation(f"VM '{task.vm_name}' holds no block covering {address:#x}+{size}")


@service("/os/mem/read", "func(address: u32, size: u32) -> bytes")
def mem_read(kernel: Kernel, task: Task, address: int, size: int) -> bytes:
    """Bytes of a block the caller's VM holds."""
    _held_block(kernel, task, address, size)
    return bytes(kernel.ram_view(address, size))


@service("/os/mem/write", "func(address: u32, data: bytes)")
def mem_write(kernel: Kernel, task: Task, address: int, data: bytes) -> None:
    """Write bytes into a block the caller's VM holds."""
    _held_block(kernel, task, address, len(data))
    kernel.ram_view(address, len(data))[:] = data


# ---------------------------------------------------------------- ports (interrupts as messages)
@service("/os/port/create", "func(capacity: u32) -> handle<port>")
def port_create(kernel: Kernel, task: Task, capacity: int) -> Handle:
    """A new bounded message port."""
    return _handle("port", Port(kernel, None, capacity, owner=task.vm_name))


@service("/os/port/open", "func(name: string) -> handle<port>")
def port_open(kernel: Kernel, task: Task, name: str) -> Handle:
    """A port by name: a device line's port (e.g. 'timer0') or one from the system file."""
    return _handle("port", kernel.objects.get("port", name.removeprefix("/dev/")))


@service("/os/port/send", "func(port: handle<port>, message: any, timeout: s64)")
def port_send(kernel: Kernel, task: Task, ref: Any, message: Any, timeout: int = TMO_FEVR) -> Any:
    """Send a message, waiting up to ``timeout`` for room (0: E_QOVR when full)."""
    return kernel.objects.get("port", ref).send(task, message, _timeout(timeout))


@service("/os/port/receive", "func(port: handle<port>, timeout: s64) -> any")
def port_receive(kernel: Kernel, task: Task, ref: Any, timeout: int = TMO_FEVR) -> Any:
    """Receive a message, waiting up to ``timeout`` (0 polls: E_TMOUT when empty)."""
    return kernel.objects.get("port", ref).receive(task, _timeout(timeout))


@service("/os/port/upcall", "func(port: handle<port>, entry: string, priority: s32) -> handle<task>")
def port_upcall(kernel: Kernel, task: Task, ref: Any, entry: str, priority: int = 1) -> Handle:
    """Run the caller VM's procedure ``entry`` in a task of that VM for each message of the port."""
    from .interrupts import register_upcall

    port = kernel.objects.get("port", ref)
    binding = kernel.bind(task.vm_name, entry, None)
    if binding.entry.owner != task.vm_name:
        raise ParameterError(f"upcall handler {entry} must belong to the registering VM '{task.vm_name}'")
    if binding.entry.signature is None or len(binding.entry.signature.params) != 1:
        raise ParameterError(f"upcall handler {entry} must take exactly one argument (the message)")
    return _handle("task", register_upcall(kernel, task.vm_name, port, binding, priority))


@service("/os/port/delete", "func(port: handle<port>)")
def port_delete(kernel: Kernel, task: Task, ref: Any) -> None:
    """Delete the port; its waiters are released with E_DLT."""
    kernel.objects.get("port", ref).delete()


# ---------------------------------------------------------------- interrupts (kernel only)
@service("/os/int/wait", "func(line: u32)", rights="owner")
def int_wait(kernel: Kernel, task: Task, line: int) -> Any:
    """An interrupt task waits for its line (kernel tasks only)."""
    if line in kernel.board.pending():
        return None
    return kernel.wait(task, None, TMO_FEVR, f"interrupt line {line}", data=("line", line))


# ---------------------------------------------------------------- console, time, system
@service("/os/console/write", "func(text: string)")
def console_write(kernel: Kernel, task: Task, text: str) -> None:
    """Text to the console."""
    kernel.board.console_write(text.encode("utf-8"))


@service("/os/console/write_bytes", "func(data: bytes)")
def console_write_bytes(kernel: Kernel, task: Task, data: bytes) -> None:
    """Bytes to the console."""
    kernel.board.console_write(bytes(data))


@service("/os/time/now", "func() -> u64")
def time_now(kernel: Kernel, task: Task) -> int:
    """Cycles since reset."""
    return kernel.board.now()


@service("/os/time/hz", "func() -> u64")
def time_hz(kernel: Kernel, task: Task) -> int:
    """The board's clock frequency, to turn cycles into seconds."""
    return kernel.board.clock_hz


@service("/os/sys/random", "func(bound: u32) -> u32")
def sys_random(kernel: Kernel, task: Task, bound: int) -> int:
    """A number in [0, bound) from the system's seeded generator (deterministic per seed)."""
    if not isinstance(bound, int) or bound <= 0:
        raise ParameterError(f"random bound must be a positive integer, got {bound!r}")
    return kernel.random.randrange(bound)


# ---------------------------------------------------------------- names
@service("/os/names/bind", "func(path: string, signature: string) -> handle<binding>")
def names_bind(kernel: Kernel, task: Task, path: str, signature: str) -> Handle:
    """Bind an entry at run time (grants and signatures checked); call it through the handle."""
    binding = kernel.bind(task.vm_name, path, signature or None)
    return Handle("binding", kernel.objects.add("binding", binding))


@service("/os/names/list", "func(path: string) -> list<tuple<string, string, string>>")
def names_list(kernel: Kernel, task: Task, path: str) -> list[tuple[str, str, str]]:
    """Children of a node: (name, kind, signature); kind 'dir' for directories."""
    if not kernel.names.exists(path):
        raise NoSuchObject(f"no entry at {path}")
    result = []
    for name, entry in kernel.names.children(path):
        if entry is None:
            result.append((name, "dir", ""))
        else:
            result.append((name, str(entry.kind), str(entry.signature) if entry.signature else ""))
    return result


def services_markdown() -> str:
    """docs/services.md, generated from this table (a test keeps the file in step)."""
    lines = [
        "# System calls: the `/os` services",
        "",
        "Generated by `python -m osvm_core.kernel.services > docs/services.md`; do not edit by hand.",
        "",
        "Every VM reaches the OS by binding one of these entries and calling it. Timeouts and delays",
        "are in cycles (0 polls, -1 waits forever); errors are μITRON codes (see `osvm_core/errors.py`).",
        "",
    ]
    ordered = sorted(SERVICES, key=lambda s: s.path)
    group = ""
    for item in ordered:
        prefix = item.path.rsplit("/", 1)[0]
        if prefix != group:
            if group:
                lines.append("")
            group = prefix
            lines += [f"## `{group}`", "", "| entry | signature | what |", "|---|---|---|"]
        rights = "" if item.rights == "public" else f" ({item.rights} only)"
        lines.append(f"| `{item.path.rsplit('/', 1)[1]}` | `{item.signature}` | {item.doc}{rights} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(services_markdown(), end="")
