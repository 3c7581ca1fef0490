"""Where things are: opcodes, header layout, the system area and a context's area.

Addresses a Forth program sees are byte offsets into the VM's memory region (its
heap in board RAM, or a plain bytearray in standalone mode); cells are 32-bit
little endian and a cell at address ``a`` is ``cells[a >> 2]``.

A word's header (its name token, nt)::

    nt+0   link: nt of the previous word of the same word list (0 ends the list)
    nt+4   xt: address of the code field
    nt+8   flags (byte), name length (byte), name bytes, padding to a cell
    xt     code field: an opcode (< NPRIM) or the address of DOES> code (>= NPRIM)
    xt+4   body (parameter field)
"""

from __future__ import annotations

CELL = 4
MASK = 0xFFFFFFFF
SIGN = 0x80000000
TRUE = MASK

# header flags
F_IMMEDIATE = 1
F_HIDDEN = 2
F_COMPILE_ONLY = 4

# Inline opcodes: handled in the inner interpreter's loop itself, in this order.
# (The loop in machine.py uses these numbers as literals; a test checks they agree.)
INLINE = (
    "EXECUTE", "(dodefer)", "(docol)", "EXIT", "(lit)", "(branch)", "(0branch)", "(dovar)",
    "(docon)", "(douser)", "(dovalue)", "(do)", "(?do)", "(loop)", "(+loop)", "I", "J", ">R", "R>",
    "R@", "UNLOOP", "LEAVE", "(do2value)",
)
OP_EXECUTE, DODEFER, DOCOL, EXIT, LIT, BRANCH, ZBRANCH, DOVAR, DOCON, DOUSER, DOVALUE, XDO, XQDO, \
    XLOOP, XPLOOP, OP_I, OP_J, TO_R, R_FROM, R_FETCH, OP_UNLOOP, OP_LEAVE, DO2VALUE = range(len(INLINE))
N_INLINE = len(INLINE)

# System area at the start of the dictionary block (offsets from its base).
SYS_DP = 0            # HERE
SYS_CURRENT = 4       # compilation word list (wid)
SYS_NORDER = 8        # number of word lists in the search order
SYS_ORDER = 12        # 16 cells: the search order, first searched first
MAX_ORDER = 16
SYS_WORDLISTS = 76    # newest wid of the chain of all word lists
SYS_LAST_XT = 80      # xt of the latest definition (IMMEDIATE, DOES>, RECURSE)
SYS_LAST_NT = 84      # nt of the latest named definition, or 0
SYS_FORTH_WID = 88    # the FORTH-WORDLIST record: latest nt, next wid, name nt
SYS_DICT_END = 100    # first address past the dictionary block
SYS_SIZE = 128        # code starts here

# A word list record: latest nt, next wid in the chain, nt of its name (or 0).
WID_LATEST = 0
WID_NEXT = 4
WID_NAME = 8
WID_SIZE = 12

# User variables: one area per context (a task's frame in this VM).
U_BASE = 0
U_STATE = 4
U_IN = 8               # >IN
U_SRC_ADDR = 12        # SOURCE
U_SRC_LEN = 16
U_HANDLER = 20         # return-stack index of the innermost CATCH frame, 0: none
U_HLD = 24             # pictured numeric output pointer
U_BLK = 28
U_TRAMPOLINE = 32      # two cells: [xt][(halt)] where a context starts
U_SOURCE_ID = 40
U_REDO = 44            # three cells: [xt][(branch)][ip] to run a primitive again after a system call
U_SIZE = 64

# The rest of a context's area, after the user variables (sizes in bytes).
HOLD_SIZE = 160        # pictured numeric output grows down from PAD
PAD_SIZE = 256
WORD_SIZE = 256        # WORD's counted-string buffer
TIB_SIZE = 256         # the console line buffer
SBUF_SIZE = 512        # each of the two transient S" buffers
SBUF_COUNT = 2
GUARD_CELLS = 32       # slack around each stack, so one primitive past a bound harms nothing
