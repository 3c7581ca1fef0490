"""A cursor over a byte string: LEB128 integers, floats as bit patterns, names.

The cursor knows two ends: the end of the region being read (a section or a
function body) and the end of the whole file. Running out inside a region
says "unexpected end of section or function"; running out of the file says
"unexpected end" -- the two texts the spec tests distinguish.
"""

from __future__ import annotations

from ..errors import LoadError


class Reader:
    __slots__ = ("data", "pos", "end", "inner")

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None, inner: bool = False):
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end
        self.inner = inner          # a section or body (not the file itself)

    def sub(self, size: int) -> Reader:
        """A reader for the next ``size`` bytes; advances this one past them.

        A region reaching past the file is cut at the file's end, so reading
        into the missing part reports "unexpected end".
        """
        end = self.pos + size
        if end > self.end:
            sub = Reader(self.data, self.pos, self.end, self.inner)
        else:
            sub = Reader(self.data, self.pos, end, True)
        self.pos = min(end, self.end)
        return sub

    def _eof(self) -> None:
        error = LoadError("unexpected end of section or function" if self.inner else "unexpected end")
        raise error.locate(min(self.pos, self.end))

    def at_end(self) -> bool:
        return self.pos >= self.end

    def byte(self) -> int:
        if self.pos >= self.end:
            self._eof()
        b = self.data[self.pos]
        self.pos += 1
        return b

    def bytes(self, n: int) -> bytes:
        if self.pos + n > self.end:
            self.pos = self.end
            self._eof()
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return bytes(out)

    def _leb(self, bits: int, signed: bool) -> int:
        """LEB128 of at most ``bits``; a malformed encoding is reported even if it
        also overruns the region (the reference interpreter reads the whole number
        before checking the region's end)."""
        result = 0
        shift = 0
        max_bytes = (bits + 6) // 7
        data = self.data
        start = self.pos
        for i in range(max_bytes):
            if self.pos >= len(data):
                self._eof()
            b = data[self.pos]
            self.pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if i == max_bytes - 1:
                if b & 0x80:
                    raise LoadError("integer representation too long")
                used = bits - 7 * i            # value bits carried by this last byte
                extra = (b & 0x7F) >> used     # bits beyond the type's width
                if signed:
                    sign = (b >> (used - 1)) & 1
                    if extra != ((0x7F >> used) if sign else 0):
                        raise LoadError("integer too large")
                elif extra:
                    raise LoadError("integer too large")
            elif not b & 0x80:
                break
        if self.pos > self.end:
            self.pos = start
            self._eof()
        if signed and result & (1 << (shift - 1)):
            result -= 1 << shift
        if signed:
            # fold into the type's range (the last byte's extra bits are pure sign)
            result &= (1 << bits) - 1
            if result >> (bits - 1):
                result -= 1 << bits
        return result

    def u32(self) -> int:
        b = self.byte()
        if b < 0x80:
            return b
        self.pos -= 1
        return self._leb(32, False)

    def s32(self) -> int:
        return self._leb(32, True)

    def s64(self) -> int:
        return self._leb(64, True)

    def f32_bits(self) -> int:
        return int.from_bytes(self.bytes(4), "little")

    def f64_bits(self) -> int:
        return int.from_bytes(self.bytes(8), "little")

    def name(self) -> str:
        size = self.u32()
        if self.pos + size > self.end:
            raise LoadError("length out of bounds")
        raw = self.bytes(size)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise LoadError("invalid UTF-8 encoding") from None
