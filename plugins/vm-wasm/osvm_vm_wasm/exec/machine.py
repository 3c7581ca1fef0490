"""The step machine: runs guest code for a budget of cycles, never recursing in Python.

A ``Thread`` owns one value stack (locals and operands of every active frame,
frame after frame) and an explicit stack of caller frames ``(ops, pc, fp,
instance)``. ``run(budget)`` executes at most ``budget`` instructions of the
compact code (``exec.code``) and reports a ``Finished``, ``Preempted``,
``Trapped`` or ``HostCall`` event. All state lives in the thread between
calls, so a preempted or host-stopped thread resumes exactly where it was.

Cost model: one cycle per executed compact instruction. ``block``, ``loop``,
``end`` and ``nop`` compile to nothing and are free; a fused pair
(``local.get``+``local.get``, ``local.get``+``const``+binop) costs one cycle.
"""

from __future__ import annotations

from ..errors import Exhaustion, Trap
from ..runtime.func import HostFunction, WasmFunction
from . import code as K
from .compile import compile_function
from .events import Event, Finished, HostCall, Preempted, Trapped
from .values import M32

DEFAULT_MAX_DEPTH = 10000

READY, HOST, DONE, DEAD = "ready", "host", "done", "dead"


def compiled(f: WasmFunction) -> K.Code:
    """The compact code of ``f``, pre-decoded on first use and cached on the module."""
    code = f.code.compiled
    if code is None:
        code = f.code.compiled = compile_function(f.instance.module, f.code, f"func {f.index}")
    return code


class Thread:
    """One guest call in progress: ``run`` it with budgets until it finishes or traps.

    ``inline_host``: host functions that have a Python ``callable`` are called
    directly (synchronous mode, as the spec runner's ``spectest`` needs);
    host functions without one always stop the thread with ``HostCall``.
    """

    def __init__(self, func: WasmFunction | HostFunction, args: tuple[int, ...] | list[int] = (), *,
                 max_depth: int = DEFAULT_MAX_DEPTH, inline_host: bool = True) -> None:
        if len(args) != len(func.type.params):
            raise TypeError(f"expected {len(func.type.params)} arguments, got {len(args)}")
        self.func = func
        self.max_depth = max_depth
        self.inline_host = inline_host
        self.stack: list[int] = list(args)
        self.frames: list[tuple] = []
        self.cycles = 0
        self.status = READY
        self.pending: HostFunction | None = None
        self.results: tuple[int, ...] | None = None
        self.error: Trap | None = None
        self._pending_args: tuple[int, ...] = ()
        if isinstance(func, HostFunction):
            self.ops: list[tuple] = []
            self.pc = 0
            self.fp = 0
            self.inst = None
            self.pending = func       # stopped at (or called inline) on the first run
        else:
            code = compiled(func)
            self.stack.extend(code.zeros)
            self.ops = code.ops
            self.pc = 0
            self.fp = 0
            self.inst = func.instance

    # -- answering host calls ------------------------------------------------
    def resume(self, results: tuple[int, ...] | list[int] = ()) -> None:
        """Deliver the raw results of the host call the thread stopped at."""
        if self.status != HOST or self.pending is None:
            raise RuntimeError("thread is not waiting for a host call")
        if len(results) != len(self.pending.type.results):
            raise TypeError(f"host call {self.pending.name!r} expects {len(self.pending.type.results)} results")
        self.stack.extend(results)
        self.pending = None
        self.status = READY
        if not self.ops:              # the entry itself was a host function
            self.status = DONE
            self.results = tuple(self.stack)

    def fail(self, error: Trap) -> None:
        """The host call failed: the guest traps with ``error`` at the next ``run``."""
        if self.status != HOST:
            raise RuntimeError("thread is not waiting for a host call")
        self.pending = None
        self.status = DEAD
        self.error = error

    def describe(self) -> str:
        return f"pc {self.pc} depth {len(self.frames)}"

    def location(self) -> tuple[int | None, int | None]:
        """(function index, byte offset in the module file) of the instruction last executed."""
        code = self._code_of(self.ops, self.inst)
        if code is None:
            return None, None
        pc = self.pc - 1 if self.pc > 0 else 0
        offset = code.offsets[pc] if code.offsets is not None and pc < len(code.offsets) else None
        return code.index, offset

    def backtrace(self) -> list[tuple[int | None, int | None]]:
        """``location()`` of the innermost frame, then of each caller (return sites), outermost last."""
        out = [self.location()]
        for ops, pc, _fp, inst in reversed(self.frames):
            code = self._code_of(ops, inst)
            if code is None:
                out.append((None, None))
                continue
            at = pc - 1 if pc > 0 else 0
            out.append((code.index, code.offsets[at] if code.offsets is not None and at < len(code.offsets)
                        else None))
        return out

    @staticmethod
    def _code_of(ops: list, inst) -> K.Code | None:
        if inst is None:
            return None
        for f in inst.funcs:
            if f.__class__ is WasmFunction and f.code.compiled is not None and f.code.compiled.ops is ops:
                return f.code.compiled
        return None

    # -- the interpreter loop --------------------------------------------------
    def run(self, budget: int) -> Event:
        """Execute at most ``budget`` instructions and report what happened."""
        status = self.status
        if status == HOST:
            return HostCall(0, self.pending, self._pending_args)
        if status == DONE:
            return Finished(0, self.results)
        if status == DEAD:
            return Trapped(0, self.error)
        if not self.ops and self.pending is None:
            return Finished(0, self.results or ())
        if self.pending is not None:  # entry is a host function, first run
            return self._host_stop(0)
        stack = self.stack
        frames = self.frames
        ops, pc, fp, inst = self.ops, self.pc, self.fp, self.inst
        funcs = inst.funcs
        globs = inst.globals
        mem = inst.memory
        data = mem.data if mem is not None else b""
        max_depth = self.max_depth
        used = -1
        try:
            for used in range(budget):  # noqa: B007 - ``used`` reports progress below
                k, a, b = ops[pc]
                pc += 1
                if k == K.LGET:
                    stack.append(stack[fp + a])
                elif k == K.LGETLGET:
                    stack.append(stack[fp + a])
                    stack.append(stack[fp + b])
                elif k == K.CONST:
                    stack.append(a)
                elif k == K.LGETCONSTBIN:
                    stack.append(b[1](stack[fp + a], b[0]))
                elif k == K.I32ADD:
                    y = stack.pop()
                    stack[-1] = (stack[-1] + y) & 0xFFFFFFFF
                elif k == K.BRIF:
                    if stack.pop():
                        pc = a
                elif k == K.LSET:
                    stack[fp + a] = stack.pop()
                elif k == K.BIN:
                    y = stack.pop()
                    stack[-1] = a(stack[-1], y)
                elif k == K.JMP:
                    pc = a
                elif k == K.LTEE:
                    stack[fp + a] = stack[-1]
                elif k == K.IFZ:
                    if not stack.pop():
                        pc = a
                elif k == K.I32SUB:
                    y = stack.pop()
                    stack[-1] = (stack[-1] - y) & 0xFFFFFFFF
                elif k == K.I32EQZ:
                    stack[-1] = 0 if stack[-1] else 1
                elif k == K.UN:
                    stack[-1] = a(stack[-1])
                elif k == K.I32LTU:
                    y = stack.pop()
                    stack[-1] = 1 if stack[-1] < y else 0
                elif k == K.I32LTS:
                    y = stack.pop()
                    stack[-1] = 1 if (stack[-1] ^ 0x80000000) < (y ^ 0x80000000) else 0
                elif k == K.I32GTS:
                    y = stack.pop()
                    stack[-1] = 1 if (stack[-1] ^ 0x80000000) > (y ^ 0x80000000) else 0
                elif k == K.I32GTU:
                    y = stack.pop()
                    stack[-1] = 1 if stack[-1] > y else 0
                elif k == K.I32GES:
                    y = stack.pop()
                    stack[-1] = 1 if (stack[-1] ^ 0x80000000) >= (y ^ 0x80000000) else 0
                elif k == K.I32LES:
                    y = stack.pop()
                    stack[-1] = 1 if (stack[-1] ^ 0x80000000) <= (y ^ 0x80000000) else 0
                elif k == K.I32EQ:
                    y = stack.pop()
                    stack[-1] = 1 if stack[-1] == y else 0
                elif k == K.I32NE:
                    y = stack.pop()
                    stack[-1] = 1 if stack[-1] != y else 0
                elif k == K.I32AND:
                    y = stack.pop()
                    stack[-1] &= y
                elif k == K.I32MUL:
                    y = stack.pop()
                    stack[-1] = (stack[-1] * y) & 0xFFFFFFFF
                elif k == K.I32SHL:
                    y = stack.pop()
                    stack[-1] = (stack[-1] << (y & 31)) & 0xFFFFFFFF
                elif k == K.LOAD:
                    ea = stack[-1] + a
                    unpack, size, mask = b
                    if ea + size > len(data):
                        raise Trap("out of bounds memory access")
                    stack[-1] = unpack(data, ea)[0] & mask
                elif k == K.STORE:
                    v = stack.pop()
                    ea = stack.pop() + a
                    pack, size, mask = b
                    if ea + size > len(data):
                        raise Trap("out of bounds memory access")
                    pack(data, ea, v & mask)
                elif k == K.GGET:
                    stack.append(globs[a].value)
                elif k == K.GSET:
                    globs[a].value = stack.pop()
                elif k == K.CALL or k == K.CALLI:
                    if k == K.CALL:
                        f = funcs[a]
                    else:
                        i = stack.pop()
                        elements = inst.tables[0].elements
                        if i >= len(elements):
                            raise Trap("undefined element")
                        f = elements[i]
                        if f is None:
                            raise Trap("uninitialized element")
                        if f.type != a:
                            raise Trap("indirect call type mismatch")
                    if f.__class__ is WasmFunction:
                        if len(frames) >= max_depth:
                            raise Exhaustion()
                        code = f.code.compiled or compiled(f)
                        frames.append((ops, pc, fp, inst))
                        fp = len(stack) - code.nparams
                        stack.extend(code.zeros)
                        ops = code.ops
                        pc = 0
                        if f.instance is not inst:
                            inst = f.instance
                            funcs = inst.funcs
                            globs = inst.globals
                            mem = inst.memory
                        if mem is not None:
                            data = mem.data
                    else:
                        n = len(f.type.params)
                        args = tuple(stack[len(stack) - n:])
                        del stack[len(stack) - n:]
                        if f.callable is not None and self.inline_host:
                            res = f.callable(*args)
                            if res is not None:
                                stack.extend(res)
                            if mem is not None:
                                data = mem.data
                        else:
                            self.ops, self.pc, self.fp, self.inst = ops, pc, fp, inst
                            self.pending = f
                            self._pending_args = args
                            self.status = HOST
                            return self._count(HostCall(used + 1, f, args))
                elif k == K.RET:
                    if a == 1:
                        v = stack[-1]
                        del stack[fp:]
                        stack.append(v)
                    elif a == 0:
                        del stack[fp:]
                    else:
                        vals = stack[len(stack) - a:]
                        del stack[fp:]
                        stack.extend(vals)
                    if not frames:
                        self.status = DONE
                        self.results = tuple(stack)
                        self.ops, self.pc = [], 0
                        return self._count(Finished(used + 1, self.results))
                    ops, pc, fp, caller = frames.pop()
                    if caller is not inst:
                        inst = caller
                        funcs = inst.funcs
                        globs = inst.globals
                        mem = inst.memory
                    if mem is not None:
                        data = mem.data
                elif k == K.BRADJ or k == K.BRIFADJ:
                    if k == K.BRIFADJ and not stack.pop():
                        continue
                    height, arity = b
                    if arity:
                        vals = stack[len(stack) - arity:]
                        del stack[fp + height:]
                        stack.extend(vals)
                    else:
                        del stack[fp + height:]
                    pc = a
                elif k == K.BRTABLE:
                    i = stack.pop()
                    target, height, arity = a[i] if i < len(a) else a[-1]
                    if height >= 0:
                        if arity:
                            vals = stack[len(stack) - arity:]
                            del stack[fp + height:]
                            stack.extend(vals)
                        else:
                            del stack[fp + height:]
                    pc = target
                elif k == K.DROP:
                    stack.pop()
                elif k == K.SELECT:
                    c = stack.pop()
                    v = stack.pop()
                    if not c:
                        stack[-1] = v
                elif k == K.MSIZE:
                    stack.append(len(data) >> 16)
                elif k == K.MGROW:
                    stack[-1] = mem.grow(stack[-1]) & M32
                    data = mem.data
                elif k == K.UNREACH:
                    raise Trap("unreachable")
                else:  # pragma: no cover
                    raise AssertionError(f"bad instruction kind {k}")
        except Trap as e:
            self.status = DEAD
            self.error = e
            self.ops, self.pc, self.fp, self.inst = ops, pc, fp, inst
            return self._count(Trapped(used + 1, e))
        except RecursionError:  # pragma: no cover - guest calls do not recurse; host callables might
            self.status = DEAD
            self.error = Exhaustion()
            return self._count(Trapped(used + 1, self.error))
        self.ops, self.pc, self.fp, self.inst = ops, pc, fp, inst
        return self._count(Preempted(used + 1))

    def _count(self, event: Event) -> Event:
        self.cycles += event.used
        return event

    def _host_stop(self, used: int) -> Event:
        f = self.pending
        n = len(f.type.params)
        args = tuple(self.stack[len(self.stack) - n:]) if n else ()
        del self.stack[len(self.stack) - n:]
        self._pending_args = args
        self.status = HOST
        if f.callable is not None and self.inline_host:
            res = f.callable(*args)
            self.resume(tuple(res or ()))
            return Finished(used, self.results)
        return HostCall(used, f, args)
