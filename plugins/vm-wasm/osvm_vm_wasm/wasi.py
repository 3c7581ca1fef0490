"""A small ``wasi_snapshot_preview1`` on top of the OS services: enough for C programs to print.

Each function is a generator over the module's linear memory: it yields
``KernelCall`` for the OS services it needs (the VM turns them into kernel
``Call`` events, so they are charged and traced like any system call) and
returns the WASI errno as its core result.

============================  ================================================================
function                      behaviour
============================  ================================================================
``fd_write``                  fd 1 and 2: one ``/os/console/write_bytes`` per call; others EBADF
``fd_read``                   fd 0: end of file (0 bytes); others EBADF
``fd_fdstat_get``             fd 0-2: a character device (so stdio line-buffers); others EBADF
``fd_seek`` / ``fd_close``    fd 0-2: ESPIPE / success; others EBADF
``fd_prestat_get`` + dir name EBADF (no preopened directories)
``proc_exit``                 the task ends with the code (an ``Exited`` event)
``args_sizes_get/args_get``   the task's ``argv`` attribute (``osvm exec`` sets it), else the VM
                              option ``args``, else the module name
``environ_sizes_get/get``     empty
``clock_time_get/res_get``    ``/os/time/now`` in nanoseconds of simulated time (``/os/time/hz``)
``random_get``                ``/os/sys/random``, three bytes per call (seeded, deterministic)
``sched_yield``               ``/os/task/rotate``
anything else                 ENOSYS when it returns an errno, else a trap when called
============================  ================================================================
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from .context import Failure, KernelCall, ProcExit
from .errors import Trap
from .types import I32, I64, FuncType

if TYPE_CHECKING:
    from .context import WasmContext
    from .vm import WasmVM

ESUCCESS, EBADF, EFAULT, EINVAL, EIO, ENOSYS, ESPIPE = 0, 8, 21, 28, 29, 52, 70
FILETYPE_CHARACTER_DEVICE = 2
RIGHT_FD_READ, RIGHT_FD_WRITE = 1 << 1, 1 << 6

_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_IOVEC = struct.Struct("<II")

Impl = Callable[["WasiHost", "WasmContext", tuple[int, ...]], Generator[Any, Any, tuple[int, ...]]]
FUNCTIONS: dict[str, tuple[FuncType, Impl]] = {}


def _wasi(name: str, params: tuple[int, ...], results: tuple[int, ...] = (I32,)):
    def add(impl: Impl) -> Impl:
        FUNCTIONS[name] = (FuncType(params, results), impl)
        return impl
    return add


class _Fault(Exception):  # noqa: N818 - internal: a bad guest pointer, reported as EFAULT
    pass


class WasiHost:
    """The WASI functions of one VM (they need its kernel bindings and options)."""

    def __init__(self, vm: WasmVM) -> None:
        self.vm = vm
        self._hz: int | None = None

    def call(self, name: str, ctx: WasmContext, args: tuple[int, ...]) -> Generator[Any, Any, tuple[int, ...]]:
        entry = FUNCTIONS.get(name)
        if entry is None:
            raise Trap(f"WASI function {name} is not supported by this VM")
        try:
            return (yield from entry[1](self, ctx, args))
        except _Fault:
            return (EFAULT,)

    # -- helpers -------------------------------------------------------------
    @staticmethod
    def data(ctx: WasmContext) -> Any:
        memory = ctx.state.instance.memory
        if memory is None:
            raise Trap("WASI needs the module to have a memory")
        return memory.data

    def get(self, ctx: WasmContext, fmt: struct.Struct, address: int) -> tuple[int, ...]:
        data = self.data(ctx)
        if address < 0 or address + fmt.size > len(data):
            raise _Fault()
        return fmt.unpack_from(data, address)

    def put(self, ctx: WasmContext, fmt: struct.Struct, address: int, *values: int) -> None:
        data = self.data(ctx)
        if address < 0 or address + fmt.size > len(data):
            raise _Fault()
        fmt.pack_into(data, address, *values)

    def put_bytes(self, ctx: WasmContext, address: int, payload: bytes) -> None:
        data = self.data(ctx)
        if address < 0 or address + len(payload) > len(data):
            raise _Fault()
        data[address:address + len(payload)] = payload

    def os(self, path: str, *args: Any) -> Generator[Any, Any, Any]:
        """Call an OS service; returns its value or a Failure."""
        reply = yield KernelCall(self.vm.os_binding(path), args)
        return reply if isinstance(reply, Failure) else reply.value

    def argv(self, ctx: WasmContext) -> list[bytes]:
        task = self.vm.kernel.current if self.vm.kernel is not None else None
        argv = task.attrs.get("argv") if task is not None else None
        if argv is None:
            argv = self.vm.options.get("args") or [ctx.state.name]
        return [str(a).encode("utf-8") + b"\0" for a in argv]


# ---------------------------------------------------------------- args and environment
@_wasi("args_sizes_get", (I32, I32))
def args_sizes_get(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    argv = w.argv(ctx)
    w.put(ctx, _U32, args[0], len(argv))
    w.put(ctx, _U32, args[1], sum(len(a) for a in argv))
    return (ESUCCESS,)
    yield  # a generator, like every WASI function


@_wasi("args_get", (I32, I32))
def args_get(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    pointers, buffer = args
    for i, arg in enumerate(w.argv(ctx)):
        w.put(ctx, _U32, pointers + 4 * i, buffer)
        w.put_bytes(ctx, buffer, arg)
        buffer += len(arg)
    return (ESUCCESS,)
    yield


@_wasi("environ_sizes_get", (I32, I32))
def environ_sizes_get(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    w.put(ctx, _U32, args[0], 0)
    w.put(ctx, _U32, args[1], 0)
    return (ESUCCESS,)
    yield


@_wasi("environ_get", (I32, I32))
def environ_get(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    return (ESUCCESS,)
    yield


# ---------------------------------------------------------------- files: the console only
@_wasi("fd_write", (I32, I32, I32, I32))
def fd_write(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    fd, iovs, count, written_at = args
    if fd not in (1, 2):
        return (EBADF,)
    chunks = []
    for i in range(count):
        address, size = w.get(ctx, _IOVEC, iovs + 8 * i)
        data = w.data(ctx)
        if address + size > len(data):
            return (EFAULT,)
        chunks.append(bytes(data[address:address + size]))
    payload = b"".join(chunks)
    if payload:
        result = yield from w.os("/os/console/write_bytes", payload)
        if isinstance(result, Failure):
            return (EIO,)
    w.put(ctx, _U32, written_at, len(payload))
    return (ESUCCESS,)


@_wasi("fd_read", (I32, I32, I32, I32))
def fd_read(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    fd, _iovs, _count, read_at = args
    if fd != 0:
        return (EBADF,)
    w.put(ctx, _U32, read_at, 0)
    return (ESUCCESS,)
    yield


@_wasi("fd_fdstat_get", (I32, I32))
def fd_fdstat_get(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    fd, at = args
    if fd not in (0, 1, 2):
        return (EBADF,)
    rights = RIGHT_FD_READ if fd == 0 else RIGHT_FD_WRITE
    w.put_bytes(ctx, at, bytes(24))
    w.put_bytes(ctx, at, bytes([FILETYPE_CHARACTER_DEVICE]))
    w.put(ctx, _U64, at + 8, rights)
    return (ESUCCESS,)
    yield


@_wasi("fd_seek", (I32, I64, I32, I32))
def fd_seek(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    return (ESPIPE if args[0] in (0, 1, 2) else EBADF,)
    yield


@_wasi("fd_close", (I32,))
def fd_close(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    return (ESUCCESS if args[0] in (0, 1, 2) else EBADF,)
    yield


@_wasi("fd_prestat_get", (I32, I32))
def fd_prestat_get(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    return (EBADF,)
    yield


@_wasi("fd_prestat_dir_name", (I32, I32, I32))
def fd_prestat_dir_name(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    return (EBADF,)
    yield


# ---------------------------------------------------------------- process, time, randomness
@_wasi("proc_exit", (I32,), ())
def proc_exit(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    raise ProcExit(args[0])
    yield


@_wasi("sched_yield", ())
def sched_yield(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    yield from w.os("/os/task/rotate")
    return (ESUCCESS,)


def _hz(w: WasiHost) -> Generator[Any, Any, int]:
    if w._hz is None:
        hz = yield from w.os("/os/time/hz")
        w._hz = hz if isinstance(hz, int) and hz > 0 else 1_000_000
    return w._hz


@_wasi("clock_res_get", (I32, I32))
def clock_res_get(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    clock, at = args
    if clock > 3:
        return (EINVAL,)
    hz = yield from _hz(w)
    w.put(ctx, _U64, at, max(1, 1_000_000_000 // hz))
    return (ESUCCESS,)


@_wasi("clock_time_get", (I32, I64, I32))
def clock_time_get(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    clock, _precision, at = args
    if clock > 3:
        return (EINVAL,)
    hz = yield from _hz(w)
    cycles = yield from w.os("/os/time/now")
    if isinstance(cycles, Failure):
        return (EIO,)
    w.put(ctx, _U64, at, (cycles * 1_000_000_000 // hz) & 0xFFFFFFFFFFFFFFFF)
    return (ESUCCESS,)


@_wasi("random_get", (I32, I32))
def random_get(w: WasiHost, ctx: WasmContext, args: tuple[int, ...]):
    at, size = args
    data = w.data(ctx)
    if at + size > len(data):
        return (EFAULT,)
    out = bytearray()
    while len(out) < size:
        value = yield from w.os("/os/sys/random", 1 << 24)
        if isinstance(value, Failure):
            return (EIO,)
        out += value.to_bytes(3, "little")
    w.put_bytes(ctx, at, bytes(out[:size]))
    return (ESUCCESS,)
