"""Pure primitives: ``sp = f(sp)`` over the cell and byte views (stack, arithmetic, memory).

Cells hold unsigned 32-bit values (0 .. 2**32-1); signed words convert on the way.
Division is floored, as in gforth (``/``, ``MOD``, ``/MOD``, ``*/``, ``*/MOD``, ``M*/``);
``SM/REM`` gives the symmetric variant. The machine checks the stack bounds after
each of these, so they only index ``c`` around ``sp``.
"""

from __future__ import annotations

from collections.abc import Callable

M = 0xFFFFFFFF
S = 0x80000000
T = 0xFFFFFFFF   # true flag
D = 1 << 64


def make_pure(c: memoryview, b: memoryview) -> list[Callable[[int], int]]:
    """The pure primitives for one machine, in ``PURE_NAMES`` order."""
    return [f for _, f in _build(c, b)]


def _build(c: memoryview, b: memoryview) -> list[tuple[str, Callable[[int], int]]]:
    ops: list[tuple[str, Callable[[int], int]]] = []

    def op(name: str) -> Callable[[Callable[[int], int]], Callable[[int], int]]:
        def add(f: Callable[[int], int]) -> Callable[[int], int]:
            ops.append((name, f))
            return f
        return add

    def s(x: int) -> int:
        return x - 0x100000000 if x & S else x

    def dget(sp: int) -> int:
        v = (c[sp] << 32) | c[sp - 1]
        return v - D if c[sp] & S else v

    def dput(sp: int, v: int) -> None:
        v &= D - 1
        c[sp - 1] = v & M
        c[sp] = v >> 32

    # ---------------------------------------------------------------- stack
    @op("DUP")
    def dup(sp: int) -> int:
        c[sp + 1] = c[sp]
        return sp + 1

    @op("DROP")
    def drop(sp: int) -> int:
        return sp - 1

    @op("SWAP")
    def swap(sp: int) -> int:
        c[sp], c[sp - 1] = c[sp - 1], c[sp]
        return sp

    @op("OVER")
    def over(sp: int) -> int:
        c[sp + 1] = c[sp - 1]
        return sp + 1

    @op("ROT")
    def rot(sp: int) -> int:
        c[sp - 2], c[sp - 1], c[sp] = c[sp - 1], c[sp], c[sp - 2]
        return sp

    @op("-ROT")
    def mrot(sp: int) -> int:
        c[sp - 2], c[sp - 1], c[sp] = c[sp], c[sp - 2], c[sp - 1]
        return sp

    @op("NIP")
    def nip(sp: int) -> int:
        c[sp - 1] = c[sp]
        return sp - 1

    @op("TUCK")
    def tuck(sp: int) -> int:
        x = c[sp]
        c[sp + 1] = x
        c[sp] = c[sp - 1]
        c[sp - 1] = x
        return sp + 1

    @op("?DUP")
    def qdup(sp: int) -> int:
        if c[sp]:
            c[sp + 1] = c[sp]
            return sp + 1
        return sp

    @op("2DUP")
    def dup2(sp: int) -> int:
        c[sp + 1] = c[sp - 1]
        c[sp + 2] = c[sp]
        return sp + 2

    @op("2DROP")
    def drop2(sp: int) -> int:
        return sp - 2

    @op("2SWAP")
    def swap2(sp: int) -> int:
        c[sp - 3], c[sp - 2], c[sp - 1], c[sp] = c[sp - 1], c[sp], c[sp - 3], c[sp - 2]
        return sp

    @op("2OVER")
    def over2(sp: int) -> int:
        c[sp + 1] = c[sp - 3]
        c[sp + 2] = c[sp - 2]
        return sp + 2

    @op("2ROT")
    def rot2(sp: int) -> int:
        a, b2, x, y, z, w = c[sp - 5], c[sp - 4], c[sp - 3], c[sp - 2], c[sp - 1], c[sp]
        c[sp - 5], c[sp - 4], c[sp - 3], c[sp - 2], c[sp - 1], c[sp] = x, y, z, w, a, b2
        return sp

    # ---------------------------------------------------------------- arithmetic
    @op("+")
    def plus(sp: int) -> int:
        c[sp - 1] = (c[sp - 1] + c[sp]) & M
        return sp - 1

    @op("-")
    def minus(sp: int) -> int:
        c[sp - 1] = (c[sp - 1] - c[sp]) & M
        return sp - 1

    @op("*")
    def star(sp: int) -> int:
        c[sp - 1] = (c[sp - 1] * c[sp]) & M
        return sp - 1

    @op("/")
    def slash(sp: int) -> int:
        c[sp - 1] = (s(c[sp - 1]) // s(c[sp])) & M
        return sp - 1

    @op("MOD")
    def mod(sp: int) -> int:
        c[sp - 1] = (s(c[sp - 1]) % s(c[sp])) & M
        return sp - 1

    @op("/MOD")
    def slashmod(sp: int) -> int:
        q, r = divmod(s(c[sp - 1]), s(c[sp]))
        c[sp - 1] = r & M
        c[sp] = q & M
        return sp

    @op("*/")
    def starslash(sp: int) -> int:
        c[sp - 2] = ((s(c[sp - 2]) * s(c[sp - 1])) // s(c[sp])) & M
        return sp - 2

    @op("*/MOD")
    def starslashmod(sp: int) -> int:
        q, r = divmod(s(c[sp - 2]) * s(c[sp - 1]), s(c[sp]))
        c[sp - 2] = r & M
        c[sp - 1] = q & M
        return sp - 1

    @op("NEGATE")
    def negate(sp: int) -> int:
        c[sp] = -c[sp] & M
        return sp

    @op("ABS")
    def abs_(sp: int) -> int:
        if c[sp] & S:
            c[sp] = -c[sp] & M
        return sp

    @op("MIN")
    def min_(sp: int) -> int:
        if (c[sp] ^ S) < (c[sp - 1] ^ S):
            c[sp - 1] = c[sp]
        return sp - 1

    @op("MAX")
    def max_(sp: int) -> int:
        if (c[sp] ^ S) > (c[sp - 1] ^ S):
            c[sp - 1] = c[sp]
        return sp - 1

    @op("1+")
    def one_plus(sp: int) -> int:
        c[sp] = (c[sp] + 1) & M
        return sp

    @op("1-")
    def one_minus(sp: int) -> int:
        c[sp] = (c[sp] - 1) & M
        return sp

    @op("2*")
    def two_star(sp: int) -> int:
        c[sp] = (c[sp] << 1) & M
        return sp

    @op("2/")
    def two_slash(sp: int) -> int:
        c[sp] = (c[sp] >> 1) | (c[sp] & S)
        return sp

    @op("LSHIFT")
    def lshift(sp: int) -> int:
        n = c[sp]
        c[sp - 1] = (c[sp - 1] << n) & M if n < 32 else 0
        return sp - 1

    @op("RSHIFT")
    def rshift(sp: int) -> int:
        n = c[sp]
        c[sp - 1] = c[sp - 1] >> n if n < 32 else 0
        return sp - 1

    @op("AND")
    def and_(sp: int) -> int:
        c[sp - 1] &= c[sp]
        return sp - 1

    @op("OR")
    def or_(sp: int) -> int:
        c[sp - 1] |= c[sp]
        return sp - 1

    @op("XOR")
    def xor(sp: int) -> int:
        c[sp - 1] ^= c[sp]
        return sp - 1

    @op("INVERT")
    def invert(sp: int) -> int:
        c[sp] ^= M
        return sp

    # ---------------------------------------------------------------- comparison
    @op("=")
    def eq(sp: int) -> int:
        c[sp - 1] = T if c[sp - 1] == c[sp] else 0
        return sp - 1

    @op("<>")
    def ne(sp: int) -> int:
        c[sp - 1] = T if c[sp - 1] != c[sp] else 0
        return sp - 1

    @op("<")
    def lt(sp: int) -> int:
        c[sp - 1] = T if (c[sp - 1] ^ S) < (c[sp] ^ S) else 0
        return sp - 1

    @op(">")
    def gt(sp: int) -> int:
        c[sp - 1] = T if (c[sp - 1] ^ S) > (c[sp] ^ S) else 0
        return sp - 1

    @op("U<")
    def ult(sp: int) -> int:
        c[sp - 1] = T if c[sp - 1] < c[sp] else 0
        return sp - 1

    @op("U>")
    def ugt(sp: int) -> int:
        c[sp - 1] = T if c[sp - 1] > c[sp] else 0
        return sp - 1

    @op("0=")
    def zeq(sp: int) -> int:
        c[sp] = 0 if c[sp] else T
        return sp

    @op("0<>")
    def zne(sp: int) -> int:
        c[sp] = T if c[sp] else 0
        return sp

    @op("0<")
    def zlt(sp: int) -> int:
        c[sp] = T if c[sp] & S else 0
        return sp

    @op("0>")
    def zgt(sp: int) -> int:
        c[sp] = T if 0 < c[sp] < S else 0
        return sp

    @op("WITHIN")
    def within(sp: int) -> int:
        lo = c[sp - 1]
        c[sp - 2] = T if (c[sp - 2] - lo) & M < (c[sp] - lo) & M else 0
        return sp - 2

    # ---------------------------------------------------------------- addresses
    @op("CELL+")
    def cell_plus(sp: int) -> int:
        c[sp] = (c[sp] + 4) & M
        return sp

    @op("CELLS")
    def cells(sp: int) -> int:
        c[sp] = (c[sp] << 2) & M
        return sp

    @op("CHAR+")
    def char_plus(sp: int) -> int:
        c[sp] = (c[sp] + 1) & M
        return sp

    @op("CHARS")
    def chars(sp: int) -> int:
        return sp

    @op("ALIGNED")
    def aligned(sp: int) -> int:
        c[sp] = (c[sp] + 3) & 0xFFFFFFFC
        return sp

    # ---------------------------------------------------------------- memory
    @op("@")
    def fetch(sp: int) -> int:
        a = c[sp]
        c[sp] = c[a >> 2] if not a & 3 else int.from_bytes(b[a:a + 4], "little")
        return sp

    @op("!")
    def store(sp: int) -> int:
        a = c[sp]
        if a & 3:
            b[a:a + 4] = c[sp - 1].to_bytes(4, "little")
        else:
            c[a >> 2] = c[sp - 1]
        return sp - 2

    @op("C@")
    def cfetch(sp: int) -> int:
        c[sp] = b[c[sp]]
        return sp

    @op("C!")
    def cstore(sp: int) -> int:
        b[c[sp]] = c[sp - 1] & 0xFF
        return sp - 2

    @op("+!")
    def plus_store(sp: int) -> int:
        a = c[sp]
        if a & 3:
            v = (int.from_bytes(b[a:a + 4], "little") + c[sp - 1]) & M
            b[a:a + 4] = v.to_bytes(4, "little")
        else:
            c[a >> 2] = (c[a >> 2] + c[sp - 1]) & M
        return sp - 2

    @op("2@")
    def fetch2(sp: int) -> int:
        a = c[sp]
        if a & 3:
            raise IndexError(a)
        c[sp] = c[(a >> 2) + 1]
        c[sp + 1] = c[a >> 2]
        return sp + 1

    @op("2!")
    def store2(sp: int) -> int:
        a = c[sp]
        if a & 3:
            raise IndexError(a)
        c[a >> 2] = c[sp - 1]
        c[(a >> 2) + 1] = c[sp - 2]
        return sp - 3

    @op("COUNT")
    def count(sp: int) -> int:
        a = c[sp]
        c[sp] = (a + 1) & M
        c[sp + 1] = b[a]
        return sp + 1

    # ---------------------------------------------------------------- double and mixed
    @op("S>D")
    def s_to_d(sp: int) -> int:
        c[sp + 1] = T if c[sp] & S else 0
        return sp + 1

    @op("D>S")
    def d_to_s(sp: int) -> int:
        return sp - 1

    @op("M*")
    def mstar(sp: int) -> int:
        dput(sp, s(c[sp - 1]) * s(c[sp]))
        return sp

    @op("UM*")
    def umstar(sp: int) -> int:
        dput(sp, c[sp - 1] * c[sp])
        return sp

    @op("UM/MOD")
    def um_slash_mod(sp: int) -> int:
        ud = (c[sp - 1] << 32) | c[sp - 2]
        q, r = divmod(ud, c[sp])
        c[sp - 2] = r & M
        c[sp - 1] = q & M
        return sp - 1

    @op("FM/MOD")
    def fm_slash_mod(sp: int) -> int:
        q, r = divmod(dget(sp - 1), s(c[sp]))
        c[sp - 2] = r & M
        c[sp - 1] = q & M
        return sp - 1

    @op("SM/REM")
    def sm_slash_rem(sp: int) -> int:
        d = dget(sp - 1)
        n = s(c[sp])
        q = abs(d) // abs(n)
        if (d < 0) != (n < 0):
            q = -q
        c[sp - 2] = (d - q * n) & M
        c[sp - 1] = q & M
        return sp - 1

    @op("D+")
    def dplus(sp: int) -> int:
        dput(sp - 2, dget(sp - 2) + dget(sp))
        return sp - 2

    @op("D-")
    def dminus(sp: int) -> int:
        dput(sp - 2, dget(sp - 2) - dget(sp))
        return sp - 2

    @op("M+")
    def mplus(sp: int) -> int:
        dput(sp - 1, dget(sp - 1) + s(c[sp]))
        return sp - 1

    @op("DNEGATE")
    def dnegate(sp: int) -> int:
        dput(sp, -dget(sp))
        return sp

    @op("DABS")
    def dabs(sp: int) -> int:
        dput(sp, abs(dget(sp)))
        return sp

    @op("D2*")
    def d2star(sp: int) -> int:
        dput(sp, dget(sp) << 1)
        return sp

    @op("D2/")
    def d2slash(sp: int) -> int:
        dput(sp, dget(sp) >> 1)
        return sp

    @op("D0=")
    def dzeq(sp: int) -> int:
        c[sp - 1] = 0 if c[sp] or c[sp - 1] else T
        return sp - 1

    @op("D0<")
    def dzlt(sp: int) -> int:
        c[sp - 1] = T if c[sp] & S else 0
        return sp - 1

    @op("D=")
    def deq(sp: int) -> int:
        c[sp - 3] = T if c[sp - 3] == c[sp - 1] and c[sp - 2] == c[sp] else 0
        return sp - 3

    @op("D<")
    def dlt(sp: int) -> int:
        c[sp - 3] = T if dget(sp - 2) < dget(sp) else 0
        return sp - 3

    @op("DU<")
    def dult(sp: int) -> int:
        c[sp - 3] = T if ((c[sp - 2] << 32) | c[sp - 3]) < ((c[sp] << 32) | c[sp - 1]) else 0
        return sp - 3

    @op("DMAX")
    def dmax(sp: int) -> int:
        if dget(sp) > dget(sp - 2):
            c[sp - 3], c[sp - 2] = c[sp - 1], c[sp]
        return sp - 2

    @op("DMIN")
    def dmin(sp: int) -> int:
        if dget(sp) < dget(sp - 2):
            c[sp - 3], c[sp - 2] = c[sp - 1], c[sp]
        return sp - 2

    @op("M*/")
    def mstarslash(sp: int) -> int:
        dput(sp - 2, (dget(sp - 2) * s(c[sp - 1])) // s(c[sp]))
        return sp - 2

    return ops


PURE_NAMES: tuple[str, ...] = tuple(name for name, _ in _build(memoryview(bytearray(4)).cast("I"),
                                                                 memoryview(bytearray(4))))
