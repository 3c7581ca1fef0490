"""The Forth machine: dictionary and contexts in RAM, and the inner interpreter.

``Machine.run(ctx, budget)`` executes at most ``budget`` primitives of one context
(a task's frame) and returns an osvm event: ``Preempted`` when the budget is spent,
``Call`` when a word needs the OS or another VM (the answer comes back through
``deliver``/``fail`` and the context resumes where it stopped), ``Returned`` when the
context's work is done, ``Exited`` for BYE, ``Fault`` for an uncaught THROW.

Cost model: every primitive executed costs one cycle — including the inner
interpreter's own (docol, EXIT, literals, branches, loop control). Primitives that
do work proportional to their input add to that (see ``charge``): the text
interpreter 4 per word plus 1 per 16 characters scanned, dictionary search 4,
number conversion 2, MOVE/FILL/COMPARE/TYPE and friends 1 per 16 bytes, REFILL 1
per 16 characters. System calls cost what the kernel charges for them.

The loop keeps ip, sp and rp in locals; three kinds of primitive exist:

* inline ones (``layout.INLINE``), written in the loop: nesting, literals,
  branches, DO-loop control, the return stack, EXECUTE;
* pure ones: ``sp = f(sp)``, closures over the cell and byte views (stack,
  arithmetic, memory);
* system ones: ``f(machine, ctx)`` with ip/sp/rp stored in the context first; they
  may move ip, charge cycles, or return an event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from osvm_core.errors import GuestFault, OsvmError
from osvm_core.events import Call, Exited, Fault, Preempted, Returned

from . import layout as L
from .errors import OS_THROW_BASE, ForthThrow, describe
from .memory import ForthMemory

MASK = L.MASK


@dataclass(slots=True, eq=False)
class Source:
    """One input source of a context: a file, a module's text, a string, or the console."""

    kind: str                  # "file" | "module" | "string" | "console"
    name: str = ""             # shown in error messages
    id: int = 0                # SOURCE-ID: 0 console, -1 string, > 0 a file
    lines: list[bytes] | None = None
    index: int = 0             # next line to read
    line_no: int = 0           # number of the line in SOURCE (1-based)
    buffer: int = 0            # RAM line buffer owned by this source (0: none)
    buffer_size: int = 0
    directory: str = ""        # for INCLUDED relative to this file
    outer: tuple[int, int, int] = (0, 0, 0)   # the SOURCE and >IN this one hides


@dataclass(slots=True, eq=False)
class Context:
    """A frame of a task in this VM: its user area, stacks and buffers in RAM, and host state."""

    area: int                       # address of the context's RAM block
    up: int                         # user area (== area)
    ip: int = 0                     # byte address of the next cell to execute
    sp: int = 0                     # cell index of the top of the data stack
    rp: int = 0                     # cell index of the top of the return stack
    s_empty: int = 0
    s_full: int = 0
    r_empty: int = 0
    r_full: int = 0
    pad: int = 0
    word_buf: int = 0
    tib: int = 0
    sbufs: tuple[int, ...] = ()
    sbuf_next: int = 0
    sources: list[Source] = field(default_factory=list)
    out: bytearray = field(default_factory=bytearray)
    queue: list[tuple[Any, Any, Any]] = field(default_factory=list)
    on_result: Callable[[Any], None] | None = None
    on_error: Callable[[OsvmError], None] | None = None
    pending_throw: ForthThrow | None = None
    charge: int = 0
    steps: list[tuple[Any, ...]] = field(default_factory=list)
    final: Callable[[Context], Any] | None = None
    blocks: list[int] = field(default_factory=list)   # heap blocks to release on discard
    result_buf: tuple[int, int] = (0, 0)
    last_word: tuple[Any, int, int] = (None, 0, 0)    # source, start, end of the last parsed name
    abort_message: str = ""
    where: tuple[str, int, bytes, int, int] | None = None
    module: Any = None              # the module this context is interpreting (EXPORT)
    name: str = ""
    on_error_mode: str = "exit"     # what the outer interpreter does after an error: exit | quit
    eof: bool = False
    console_stage: int = 0
    exit_code: int = 0
    task: Any = None
    done: bool = False
    xt: int = 0                     # the system primitive being executed
    throw_message: tuple[int, str] = (0, "")   # the last THROW's code and its own message, if any
    init_of: Any = None             # the module this context is loading (vm.py)
    defining: tuple[int, int] = (0, -1)   # nt of the colon definition being compiled, stack depth


class Machine:
    """One Forth system: a dictionary in a memory region and any number of contexts."""

    def __init__(self, memory: ForthMemory, host: Any, *, dictionary: int = 256 * 1024,
                 stack_cells: int = 1024, rstack_cells: int = 1024) -> None:
        from . import boot, prims, words

        self.memory = memory
        self.cells = memory.cells
        self.bytes = memory.bytes
        self.host = host
        self.stack_cells = stack_cells
        self.rstack_cells = rstack_cells
        # code-field values below NPRIM are opcodes, so code must live above them: keep the
        # first KiB of the region out of the dictionary
        low = memory.allocate(2048)
        self.sys = memory.allocate(dictionary)
        memory.release(low)
        self.dict_end = self.sys + (dictionary & ~3)
        self.bytes[self.sys:self.dict_end] = bytes(self.dict_end - self.sys)
        self.index: dict[int, dict[bytes, list[int]]] = {}   # wid -> NAME -> nts, oldest first
        self.xt_names: dict[int, int] = {}                    # xt -> nt
        self.imports: list[Any] = []                          # DOIMPORT bodies index this
        self.pure = prims.make_pure(self.cells, self.bytes)
        self.system = [f for _, f, _ in words.SYSTEM]
        self.n_pure = L.N_INLINE + len(self.pure)
        self.nprim = self.n_pure + len(self.system)
        self.console_in = bytearray()
        self.line_start = True                                # the console's last byte was a newline
        self.file_ids = 0
        self.included: set[str] = set()
        self.substitutions: dict[bytes, bytes] = {}           # REPLACES / SUBSTITUTE
        self.opcodes: dict[str, int] = {}
        self.xts: dict[str, int] = {}                         # primitive and boot words by name
        boot.build(self)

    # ------------------------------------------------------------------ system variables
    def sysvar(self, offset: int) -> int:
        return self.cells[(self.sys + offset) >> 2]

    def set_sysvar(self, offset: int, value: int) -> None:
        self.cells[(self.sys + offset) >> 2] = value & MASK

    @property
    def here(self) -> int:
        return self.cells[(self.sys + L.SYS_DP) >> 2]

    @here.setter
    def here(self, value: int) -> None:
        if value > self.dict_end or value < self.sys:
            raise ForthThrow(-8)
        self.cells[(self.sys + L.SYS_DP) >> 2] = value

    def comma(self, value: int) -> None:
        here = self.here
        if here & 3:
            raise ForthThrow(-23)
        self.here = here + 4
        self.cells[here >> 2] = value & MASK

    def ccomma(self, value: int) -> None:
        here = self.here
        self.here = here + 1
        self.bytes[here] = value & 0xFF

    def align(self) -> None:
        here = self.here
        if here & 3:
            self.here = (here + 3) & ~3

    def write_bytes(self, data: bytes) -> int:
        here = self.here
        self.here = here + len(data)
        self.bytes[here:here + len(data)] = data
        return here

    # ------------------------------------------------------------------ words and word lists
    def new_wordlist(self, name_nt: int = 0) -> int:
        self.align()
        wid = self.here
        self.here = wid + L.WID_SIZE
        self._init_wordlist(wid, name_nt)
        return wid

    def _init_wordlist(self, wid: int, name_nt: int) -> None:
        c = self.cells
        c[(wid + L.WID_LATEST) >> 2] = 0
        c[(wid + L.WID_NEXT) >> 2] = self.sysvar(L.SYS_WORDLISTS)
        c[(wid + L.WID_NAME) >> 2] = name_nt
        self.set_sysvar(L.SYS_WORDLISTS, wid)
        self.index[wid] = {}

    def create_header(self, name: bytes, code: int, flags: int = 0, wid: int | None = None) -> int:
        """A new word named ``name`` in the compilation word list; returns its xt."""
        if not name:
            raise ForthThrow(-16)
        if len(name) > 255:
            raise ForthThrow(-19)
        if wid is None:
            wid = self.sysvar(L.SYS_CURRENT)
        c = self.cells
        self.align()
        nt = self.here
        size = 10 + len(name)
        xt = (nt + size + 3) & ~3
        self.here = xt + 4
        c[nt >> 2] = c[(wid + L.WID_LATEST) >> 2]
        c[(nt + 4) >> 2] = xt
        self.bytes[nt + 8] = flags
        self.bytes[nt + 9] = len(name)
        self.bytes[nt + 10:nt + size] = name
        c[xt >> 2] = code & MASK
        c[(wid + L.WID_LATEST) >> 2] = nt
        words = self.index.get(wid)
        if words is None:
            words = self.index[wid] = {}
        words.setdefault(name.upper(), []).append(nt)
        self.xt_names[xt] = nt
        self.set_sysvar(L.SYS_LAST_XT, xt)
        self.set_sysvar(L.SYS_LAST_NT, nt)
        return xt

    def name_of(self, nt: int) -> bytes:
        n = self.bytes[nt + 9]
        return bytes(self.bytes[nt + 10:nt + 10 + n])

    def flags_of(self, nt: int) -> int:
        return self.bytes[nt + 8]

    def xt_of(self, nt: int) -> int:
        return self.cells[(nt + 4) >> 2]

    def search(self, wid: int, name: bytes) -> int:
        """The nt of the newest visible word ``name`` in word list ``wid``, or 0."""
        found = self.index.get(wid, {}).get(name.upper())
        if found:
            b = self.bytes
            for nt in reversed(found):
                if not b[nt + 8] & L.F_HIDDEN:
                    return nt
        return 0

    def order(self) -> list[int]:
        c = self.cells
        base = (self.sys + L.SYS_ORDER) >> 2
        return [c[base + i] for i in range(min(self.sysvar(L.SYS_NORDER), L.MAX_ORDER))]

    def find(self, name: bytes) -> int:
        """The nt of ``name`` in the search order, or 0."""
        for wid in self.order():
            nt = self.search(wid, name)
            if nt:
                return nt
        return 0

    def word_name(self, xt: int) -> str:
        nt = self.xt_names.get(xt)
        return self.name_of(nt).decode("latin-1") if nt else f"xt {xt:#x}"

    def word_at(self, address: int) -> str:
        """The name of the colon definition whose code contains ``address`` (for reports)."""
        best = 0
        for xt in self.xt_names:
            if best < xt <= address:
                best = xt
        return self.word_name(best) if best else ""

    def opcode_name(self, code: int) -> str:
        for name, op in self.opcodes.items():
            if op == code:
                return name
        return str(code)

    # ------------------------------------------------------------------ contexts
    def new_context(self, name: str = "") -> Context:
        """A fresh context: its user area, stacks and buffers in one block of the VM's memory."""
        guard = L.GUARD_CELLS * 4
        stack = self.stack_cells * 4
        rstack = self.rstack_cells * 4
        size = (L.U_SIZE + guard + stack + guard + guard + rstack + guard + L.HOLD_SIZE + L.PAD_SIZE
                + L.WORD_SIZE + L.TIB_SIZE + L.SBUF_SIZE * L.SBUF_COUNT)
        area = self.memory.allocate(size)
        self.bytes[area:area + size] = bytes(size)
        a = area + L.U_SIZE + guard
        s_empty = (a >> 2) - 1
        a += stack + guard
        s_full = s_empty + self.stack_cells
        a += guard
        r_empty = (a >> 2) - 1
        r_full = r_empty + self.rstack_cells
        a += rstack + guard
        pad = a + L.HOLD_SIZE
        a = pad + L.PAD_SIZE
        word_buf = a
        a += L.WORD_SIZE
        tib = a
        a += L.TIB_SIZE
        sbufs = tuple(a + i * L.SBUF_SIZE for i in range(L.SBUF_COUNT))
        ctx = Context(area=area, up=area, sp=s_empty, rp=r_empty, s_empty=s_empty, s_full=s_full,
                      r_empty=r_empty, r_full=r_full, pad=pad, word_buf=word_buf, tib=tib,
                      sbufs=sbufs, name=name)
        ctx.blocks.append(area)
        c = self.cells
        c[(area + L.U_BASE) >> 2] = 10
        c[(area + L.U_TRAMPOLINE + 4) >> 2] = self.xts["(halt)"]
        return ctx

    def release_context(self, ctx: Context) -> None:
        """Give the context's blocks back to the VM's memory."""
        for source in ctx.sources:
            if source.buffer:
                self._release_quietly(source.buffer)
        ctx.sources.clear()
        for block in ctx.blocks:
            self._release_quietly(block)
        ctx.blocks.clear()
        if ctx.result_buf[0]:
            self._release_quietly(ctx.result_buf[0])
            ctx.result_buf = (0, 0)

    def _release_quietly(self, address: int) -> None:
        try:
            self.memory.release(address)
        except OsvmError:
            pass

    def user(self, ctx: Context, offset: int) -> int:
        return self.cells[(ctx.up + offset) >> 2]

    def set_user(self, ctx: Context, offset: int, value: int) -> None:
        self.cells[(ctx.up + offset) >> 2] = value & MASK

    def start(self, ctx: Context, xt: int) -> None:
        """Make ``ctx`` execute ``xt`` next, ending at (halt)."""
        self.cells[(ctx.up + L.U_TRAMPOLINE) >> 2] = xt
        ctx.ip = ctx.up + L.U_TRAMPOLINE

    # ------------------------------------------------------------------ stack helpers (system primitives)
    def push(self, ctx: Context, value: int) -> None:
        sp = ctx.sp + 1
        if sp > ctx.s_full:
            raise ForthThrow(-3)
        self.cells[sp] = value & MASK
        ctx.sp = sp

    def pop(self, ctx: Context) -> int:
        sp = ctx.sp
        if sp <= ctx.s_empty:
            raise ForthThrow(-4)
        ctx.sp = sp - 1
        return self.cells[sp]

    def spop(self, ctx: Context) -> int:
        v = self.pop(ctx)
        return v - 0x100000000 if v & L.SIGN else v

    def need(self, ctx: Context, n: int) -> None:
        if ctx.sp - ctx.s_empty < n:
            raise ForthThrow(-4)

    def depth(self, ctx: Context) -> int:
        return ctx.sp - ctx.s_empty

    def pop_string(self, ctx: Context) -> bytes:
        """( c-addr u -- ) and the bytes they name."""
        u = self.pop(ctx)
        a = self.pop(ctx)
        if u > self.memory.size:
            raise ForthThrow(-24)
        return self.memory.read(a, u)

    def push_double(self, ctx: Context, value: int) -> None:
        value &= 0xFFFFFFFFFFFFFFFF
        self.push(ctx, value & MASK)
        self.push(ctx, value >> 32)

    def pop_double(self, ctx: Context) -> int:
        hi = self.pop(ctx)
        lo = self.pop(ctx)
        v = (hi << 32) | lo
        return v - (1 << 64) if hi & L.SIGN else v

    def transient(self, ctx: Context, data: bytes) -> int:
        """Copy ``data`` into the next transient S" buffer; its address."""
        if len(data) > L.SBUF_SIZE:
            raise ForthThrow(-18)
        address = ctx.sbufs[ctx.sbuf_next]
        ctx.sbuf_next = (ctx.sbuf_next + 1) % len(ctx.sbufs)
        self.bytes[address:address + len(data)] = data
        return address

    def result_buffer(self, ctx: Context, data: bytes) -> int:
        """Copy ``data`` (an OS call's string result) into the context's result buffer."""
        address, size = ctx.result_buf
        if len(data) > size:
            if address:
                self.memory.release(address)
            size = max(256, (len(data) + 255) & ~255)
            address = self.memory.allocate(size)
            ctx.result_buf = (address, size)
        self.bytes[address:address + len(data)] = data
        return address

    def emit(self, ctx: Context, data: bytes) -> None:
        ctx.out += data

    def redo(self, ctx: Context) -> None:
        """Run the current system primitive again when the context resumes (after a system call)."""
        c = self.cells
        slot = (ctx.up + L.U_REDO) >> 2
        if ctx.ip != ctx.up + L.U_REDO + 4:       # not already running from the redo slot
            c[slot + 2] = ctx.ip
        c[slot] = ctx.xt
        c[slot + 1] = self.xts["(branch)"]
        ctx.ip = ctx.up + L.U_REDO

    # ------------------------------------------------------------------ events
    def issue(self, ctx: Context, used: int, event: Any, on_result: Any = None, on_error: Any = None) -> Any:
        """Return ``event``, first flushing buffered console output through a system call."""
        if ctx.out:
            ctx.queue.append((event, on_result, on_error))
            return self._flush(ctx, used)
        ctx.on_result = on_result
        ctx.on_error = on_error
        if isinstance(event, Call | Preempted | Returned | Exited | Fault):
            event.used = used
        return event

    def _flush(self, ctx: Context, used: int) -> Call:
        data = bytes(ctx.out)
        ctx.out.clear()
        self.line_start = data.endswith(b"\n")
        ctx.on_result = None
        ctx.on_error = None
        return Call(used, self.host.service("/os/console/write_bytes"), (data,))

    def deliver(self, ctx: Context, value: Any) -> None:
        handler, ctx.on_result, ctx.on_error = ctx.on_result, None, None
        if handler is not None:
            try:
                handler(value)
            except ForthThrow as error:
                ctx.pending_throw = error
            except OsvmError as error:
                ctx.pending_throw = ForthThrow(OS_THROW_BASE + error.code, str(error))

    def fail(self, ctx: Context, error: OsvmError) -> None:
        handler, ctx.on_result, ctx.on_error = ctx.on_error, None, None
        if handler is not None:
            try:
                handler(error)
                return
            except ForthThrow as thrown:
                ctx.pending_throw = thrown
                return
        ctx.pending_throw = ForthThrow(OS_THROW_BASE + error.code, str(error))

    # ------------------------------------------------------------------ the inner interpreter
    def run(self, ctx: Context, budget: int) -> Any:
        """Execute at most ``budget`` primitives (cycles) of ``ctx``; the event that stopped it."""
        if ctx.queue:
            event, on_result, on_error = ctx.queue.pop(0)
            return self.issue(ctx, 0, event, on_result, on_error)
        if ctx.done:
            return Returned(0, None)
        c = self.cells
        pure = self.pure
        system = self.system
        n_pure = self.n_pure
        nprim = self.nprim
        n = budget
        ip = ctx.ip >> 2
        sp = ctx.sp
        rp = ctx.rp
        s_empty = ctx.s_empty
        s_full = ctx.s_full
        r_empty = ctx.r_empty
        r_full = ctx.r_full
        up = ctx.up
        thrown = ctx.pending_throw
        ctx.pending_throw = None
        while True:
            if thrown is not None:
                ctx.ip, ctx.sp, ctx.rp = ip << 2, sp, rp
                event = self.throw(ctx, thrown)
                thrown = None
                if event is not None:
                    return self.issue(ctx, budget - n, event, ctx.on_result, ctx.on_error)
                ip, sp, rp = ctx.ip >> 2, ctx.sp, ctx.rp
            try:
                while n > 0:
                    n -= 1
                    xt = c[ip]
                    ip += 1
                    code = c[xt >> 2]
                    while code < 2:            # EXECUTE, or a DEFERred word: dispatch its xt now
                        if code:
                            xt = c[(xt >> 2) + 1]
                        else:
                            if sp <= s_empty:
                                raise ForthThrow(-4)
                            xt = c[sp]
                            sp -= 1
                        code = c[xt >> 2]
                        n -= 1
                    if code < 23:              # inline primitives (layout.INLINE)
                        if code == 2:          # docol
                            rp += 1
                            if rp > r_full:
                                rp -= 1
                                raise ForthThrow(-5)
                            c[rp] = ip << 2
                            ip = (xt >> 2) + 1
                            if sp > s_full or sp < s_empty:
                                raise ForthThrow(-3 if sp > s_full else -4)
                        elif code == 3:        # EXIT
                            if rp <= r_empty:
                                raise ForthThrow(-6)
                            ip = c[rp] >> 2
                            rp -= 1
                        elif code == 4:        # literal
                            sp += 1
                            c[sp] = c[ip]
                            ip += 1
                        elif code == 6:        # 0branch
                            if sp <= s_empty:
                                raise ForthThrow(-4)
                            if c[sp]:
                                ip += 1
                            else:
                                ip = c[ip] >> 2
                            sp -= 1
                        elif code == 5:        # branch
                            ip = c[ip] >> 2
                            if sp > s_full:
                                raise ForthThrow(-3)
                        elif code == 13:       # (loop)
                            i = (c[rp] + 1) & MASK
                            if i == c[rp - 1]:
                                rp -= 3
                                ip += 1
                            else:
                                c[rp] = i
                                ip = c[ip] >> 2
                        elif code == 15:       # I
                            sp += 1
                            c[sp] = c[rp]
                        elif code == 7:        # dovar
                            sp += 1
                            c[sp] = xt + 4
                        elif code == 8 or code == 10:   # doconst, dovalue
                            sp += 1
                            c[sp] = c[(xt >> 2) + 1]
                        elif code == 17:       # >R
                            if sp <= s_empty:
                                raise ForthThrow(-4)
                            rp += 1
                            if rp > r_full:
                                rp -= 1
                                raise ForthThrow(-5)
                            c[rp] = c[sp]
                            sp -= 1
                        elif code == 18:       # R>
                            if rp <= r_empty:
                                raise ForthThrow(-6)
                            sp += 1
                            c[sp] = c[rp]
                            rp -= 1
                        elif code == 19:       # R@
                            if rp <= r_empty:
                                raise ForthThrow(-6)
                            sp += 1
                            c[sp] = c[rp]
                        elif code == 11 or code == 12:   # (do) (?do)
                            if sp - 1 <= s_empty:
                                raise ForthThrow(-4)
                            if code == 12 and c[sp] == c[sp - 1]:
                                sp -= 2
                                ip = c[ip] >> 2
                                continue
                            rp += 3
                            if rp > r_full:
                                rp -= 3
                                raise ForthThrow(-5)
                            c[rp - 2] = c[ip]
                            c[rp - 1] = c[sp - 1]
                            c[rp] = c[sp]
                            sp -= 2
                            ip += 1
                        elif code == 14:       # (+loop)
                            if sp <= s_empty:
                                raise ForthThrow(-4)
                            step = c[sp]
                            sp -= 1
                            i = c[rp]
                            o = (i - c[rp - 1]) & MASK
                            if (o + step > MASK) if step < 0x80000000 else (o + step <= MASK):
                                rp -= 3
                                ip += 1
                            else:
                                c[rp] = (i + step) & MASK
                                ip = c[ip] >> 2
                        elif code == 16:       # J
                            sp += 1
                            c[sp] = c[rp - 3]
                        elif code == 20:       # UNLOOP
                            if rp - 3 < r_empty:
                                raise ForthThrow(-26)
                            rp -= 3
                        elif code == 21:       # LEAVE
                            if rp - 3 < r_empty:
                                raise ForthThrow(-26)
                            ip = c[rp - 2] >> 2
                            rp -= 3
                        elif code == 9:        # douser
                            sp += 1
                            c[sp] = up + c[(xt >> 2) + 1]
                        else:                  # do2value
                            sp += 2
                            c[sp - 1] = c[(xt >> 2) + 2]
                            c[sp] = c[(xt >> 2) + 1]
                    elif code < n_pure:
                        sp = pure[code - 23](sp)
                        if sp < s_empty or sp > s_full:
                            raise ForthThrow(-4 if sp < s_empty else -3)
                    elif code < nprim:
                        ctx.ip = ip << 2
                        ctx.sp = sp
                        ctx.rp = rp
                        ctx.xt = xt
                        event = system[code - n_pure](self, ctx)
                        ip = ctx.ip >> 2
                        sp = ctx.sp
                        rp = ctx.rp
                        if ctx.charge:
                            n -= ctx.charge
                            ctx.charge = 0
                        if event is not None:
                            return self.issue(ctx, budget - n, event, ctx.on_result, ctx.on_error)
                    else:                      # a child of DOES>: body on the stack, run the DOES> code
                        sp += 1
                        c[sp] = xt + 4
                        rp += 1
                        if rp > r_full:
                            rp -= 1
                            raise ForthThrow(-5)
                        c[rp] = ip << 2
                        ip = code >> 2
                ctx.ip = ip << 2
                ctx.sp = sp
                ctx.rp = rp
                if ctx.out:
                    return self._flush(ctx, budget - n)
                return Preempted(budget - n)
            except ForthThrow as error:
                thrown = error
            except ZeroDivisionError:
                thrown = ForthThrow(-10)
            except (IndexError, ValueError, OverflowError, TypeError):
                thrown = ForthThrow(-9)
            except OsvmError as error:      # e.g. NoMemory from an allocation
                thrown = ForthThrow(OS_THROW_BASE + error.code, str(error))

    # ------------------------------------------------------------------ exceptions
    def throw(self, ctx: Context, error: ForthThrow) -> Any:
        """Unwind to the innermost CATCH frame, or end the context with a Fault."""
        code = error.code & MASK
        code = code - 0x100000000 if code & L.SIGN else code
        self.note_where(ctx)
        ctx.throw_message = (code, error.message)
        if code == -2 and not ctx.abort_message:
            ctx.abort_message = error.message
        c = self.cells
        handler = c[(ctx.up + L.U_HANDLER) >> 2]
        if handler == 0 or handler > ctx.r_full or handler <= ctx.r_empty:
            text = self.error_text(ctx, code, error.message)
            return Fault(0, GuestFault(f"uncaught THROW {code}: {text}", where=self.describe(ctx)))
        # frame: [resume ip][saved sp][source depth][previous handler] with handler at the top
        ctx.rp = handler - 4
        c[(ctx.up + L.U_HANDLER) >> 2] = c[handler]
        depth = c[handler - 1]
        self.pop_sources(ctx, depth)
        ctx.sp = c[handler - 2]
        ctx.ip = c[handler - 3]
        ctx.sp += 1
        c[ctx.sp] = code & MASK
        return None

    def note_where(self, ctx: Context) -> None:
        """Remember the file, line and word for the error report, before sources unwind."""
        named = None
        for source in reversed(ctx.sources):
            if source.kind != "string":
                named = source
                break
        if named is None:
            ctx.where = None
            return
        text = b""
        start = end = 0
        if named is ctx.sources[-1]:
            a = self.user(ctx, L.U_SRC_ADDR)
            u = self.user(ctx, L.U_SRC_LEN)
            try:
                text = self.memory.read(a, u)
            except IndexError:
                text = b""
            src, start, end = ctx.last_word
            if src is not named:
                start = end = 0
        elif named.lines is not None and 0 < named.line_no <= len(named.lines):
            text = named.lines[named.line_no - 1]
        ctx.where = (named.name, named.line_no, text, start, end)

    def error_text(self, ctx: Context, code: int, message: str = "") -> str:
        if code == -2 and ctx.abort_message:
            return ctx.abort_message
        return message or describe(code)

    def error_report(self, ctx: Context, code: int, message: str = "") -> bytes:
        """The text interpreter's message for an error: gforth's layout, file:line and the word."""
        text = self.error_text(ctx, code, message)
        where = ctx.where
        if code == -1:
            return b""
        if code == -2:
            return text.encode("utf-8", "replace") + b"\n"
        if where is None:
            return f"Error: {text}\n".encode("utf-8", "replace")
        name, line_no, line, start, end = where
        head = f"{name}:{line_no}: {text}\n".encode("utf-8", "replace")
        if end > start:
            shown = line[:start] + b">>>" + line[start:end] + b"<<<" + line[end:]
        else:
            shown = line
        return head + shown.rstrip() + b"\n"

    # ------------------------------------------------------------------ input sources
    def push_source(self, ctx: Context, source: Source) -> None:
        if len(ctx.sources) >= 64:
            raise ForthThrow(-18, "input sources nested too deeply")
        source.outer = (self.user(ctx, L.U_SRC_ADDR), self.user(ctx, L.U_SRC_LEN), self.user(ctx, L.U_IN))
        ctx.sources.append(source)
        self.set_user(ctx, L.U_SOURCE_ID, source.id)

    def pop_sources(self, ctx: Context, depth: int) -> None:
        while len(ctx.sources) > depth:
            source = ctx.sources.pop()
            if source.buffer:
                self._release_quietly(source.buffer)
                if source.buffer in ctx.blocks:
                    ctx.blocks.remove(source.buffer)
                source.buffer = 0
            a, u, i = source.outer
            self.set_user(ctx, L.U_SRC_ADDR, a)
            self.set_user(ctx, L.U_SRC_LEN, u)
            self.set_user(ctx, L.U_IN, i)
            self.set_user(ctx, L.U_SOURCE_ID, ctx.sources[-1].id if ctx.sources else 0)

    def text_source(self, kind: str, name: str, text: bytes, directory: str = "", source_id: int = 1) -> Source:
        """A file-like source over ``text``; its line buffer is allocated when it is pushed."""
        lines = [line[:-1] if line.endswith(b"\r") else line for line in text.split(b"\n")]
        if lines and lines[-1] == b"":
            lines.pop()
        size = max([80, *map(len, lines)]) + 4
        return Source(kind=kind, name=name, id=source_id, lines=lines, buffer_size=(size + 7) & ~7,
                      directory=directory)

    def attach_buffer(self, ctx: Context, source: Source) -> None:
        if source.lines is not None and not source.buffer:
            source.buffer = self.memory.allocate(source.buffer_size)

    def refill_lines(self, ctx: Context, source: Source) -> bool:
        """The next line of a file-like source into its buffer; False at its end."""
        if source.lines is None or source.index >= len(source.lines):
            return False
        line = source.lines[source.index]
        source.index += 1
        source.line_no = source.index
        if len(line) > source.buffer_size:
            line = line[:source.buffer_size]
        self.bytes[source.buffer:source.buffer + len(line)] = line
        self.set_user(ctx, L.U_SRC_ADDR, source.buffer)
        self.set_user(ctx, L.U_SRC_LEN, len(line))
        self.set_user(ctx, L.U_IN, 0)
        ctx.charge += 1 + (len(line) >> 4)
        return True

    # ------------------------------------------------------------------ reports
    def describe(self, ctx: Context) -> str:
        parts = []
        for source in reversed(ctx.sources):
            if source.kind != "string":
                parts.append(f"{source.name}:{source.line_no}")
                break
        word = self.word_at(ctx.ip)
        if word:
            parts.append(f"in {word}")
        return " ".join(parts)
