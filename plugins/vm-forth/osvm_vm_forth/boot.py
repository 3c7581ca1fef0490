"""Building the boot image: the system area, a header for every primitive, the threaded words
of the outer interpreter (assembled here), then ``prelude.fth`` run by the machine itself."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any

from osvm_core.events import Preempted, Returned

from . import layout as L
from .errors import ForthThrow
from .prims import PURE_NAMES

if TYPE_CHECKING:
    from .machine import Machine

# The outer interpreter and friends, in the tiny language of ``assemble``.
THREADED = [
    ("INTERPRET", "BEGIN (interpret) WHILE EXECUTE REPEAT", 0),
    ("(run-source)", "BEGIN REFILL WHILE INTERPRET REPEAT", 0),
    ("CATCH", "(catch) EXECUTE (uncatch)", 0),   # THROW resumes at the EXIT after (uncatch)
    ("(top)", "BEGIN '(run-source) CATCH ?DUP WHILE (top-error) REPEAT (top-done)", 0),
    ("EVALUATE", "(push-string) INTERPRET (pop-source)", 0),
    ("INCLUDED", "(push-file) (run-source) (pop-source)", 0),
    ("INCLUDE", "(parse-file-name) INCLUDED", 0),
    ("REQUIRED", "(included?) IF 2DROP ELSE INCLUDED THEN", 0),
    ("REQUIRE", "(parse-file-name) REQUIRED", 0),
]

USER_VARIABLES = [("BASE", L.U_BASE), ("STATE", L.U_STATE), (">IN", L.U_IN), ("BLK", L.U_BLK)]
CONSTANTS = [("TRUE", L.TRUE), ("FALSE", 0), ("BL", 32)]
COMPILE_ONLY_INLINE = {"(docol)", "(lit)", "(branch)", "(0branch)", "(do)", "(?do)", "(loop)",
                       "(+loop)", "(dovar)", "(docon)", "(douser)", "(dovalue)", "(dodefer)",
                       "(do2value)"}


def assemble(m: Machine, name: str, body: str, flags: int = 0) -> int:
    """A colon definition from primitive names, 'name (a literal xt), numbers and IF/ELSE/THEN,
    BEGIN/WHILE/REPEAT/UNTIL/AGAIN."""
    xt = m.create_header(name.encode(), L.DOCOL, flags)
    m.xts[name] = xt
    marks: list[int] = []
    for token in body.split():
        if token in ("IF", "WHILE"):
            m.comma(m.xts["(0branch)"])
            marks.append(m.here)
            m.comma(0)
            if token == "WHILE":
                marks[-1], marks[-2] = marks[-2], marks[-1]
        elif token == "ELSE":
            m.comma(m.xts["(branch)"])
            new = m.here
            m.comma(0)
            m.cells[marks.pop() >> 2] = m.here
            marks.append(new)
        elif token == "THEN":
            m.cells[marks.pop() >> 2] = m.here
        elif token == "BEGIN":
            marks.append(m.here)
        elif token in ("UNTIL", "AGAIN"):
            m.comma(m.xts["(0branch)" if token == "UNTIL" else "(branch)"])
            m.comma(marks.pop())
        elif token == "REPEAT":
            m.comma(m.xts["(branch)"])
            m.comma(marks.pop())
            m.cells[marks.pop() >> 2] = m.here
        elif token.startswith("'"):
            m.comma(m.xts["(lit)"])
            m.comma(m.xts[token[1:]])
        elif token.lstrip("-").isdigit():
            m.comma(m.xts["(lit)"])
            m.comma(int(token))
        else:
            m.comma(m.xts[token])
    m.comma(m.xts["EXIT"])
    return xt


class _BootHost:
    """The prelude runs before the machine has a host: it may declare, never call."""

    eof_cycles = 0

    def declared_binding(self, ctx: Any, path: str, signature: str) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        raise ForthThrow(-21, f"the prelude cannot use the host ({name})")


def build(m: Machine) -> None:
    from .words import SYSTEM

    c = m.cells
    sys = m.sys
    m.set_sysvar(L.SYS_DP, sys + L.SYS_SIZE)
    m.set_sysvar(L.SYS_DICT_END, m.dict_end)
    forth = sys + L.SYS_FORTH_WID
    m._init_wordlist(forth, 0)
    m.set_sysvar(L.SYS_CURRENT, forth)
    m.set_sysvar(L.SYS_NORDER, 1)
    c[(sys + L.SYS_ORDER) >> 2] = forth

    def primitive(name: str, opcode: int, flags: int = 0) -> None:
        m.opcodes[name] = opcode
        m.xts[name] = m.create_header(name.encode(), opcode, flags)

    for opcode, name in enumerate(L.INLINE):
        primitive(name, opcode, L.F_COMPILE_ONLY if name in COMPILE_ONLY_INLINE else 0)
    for i, name in enumerate(PURE_NAMES):
        primitive(name, L.N_INLINE + i)
    for i, (name, _, flags) in enumerate(SYSTEM):
        primitive(name, m.n_pure + i, flags)
    for name, offset in USER_VARIABLES:
        m.xts[name] = m.create_header(name.encode(), L.DOUSER)
        m.comma(offset)
    for name, value in CONSTANTS:
        m.xts[name] = m.create_header(name.encode(), L.DOCON)
        m.comma(value)
    for name, body, flags in THREADED:
        assemble(m, name, body, flags)
    run_prelude(m)


def run_prelude(m: Machine) -> None:
    """Interpret prelude.fth in a throwaway context; any error is a bug of the VM."""
    text = resources.files("osvm_vm_forth").joinpath("prelude.fth").read_bytes()
    host, m.host = m.host, _BootHost()
    ctx = m.new_context("boot")
    try:
        source = m.text_source("module", "prelude.fth", text)
        m.attach_buffer(ctx, source)
        m.push_source(ctx, source)
        m.start(ctx, m.xts["(top)"])
        ctx.final = lambda machine, context: Returned(0, None)
        while True:
            event = m.run(ctx, 1_000_000)
            if isinstance(event, Preempted):
                continue
            break
        if ctx.out or not isinstance(event, Returned):
            raise RuntimeError(f"forth prelude failed: {bytes(ctx.out).decode(errors='replace')} {event}")
    finally:
        m.release_context(ctx)
        m.host = host
