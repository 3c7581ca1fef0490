"""The reader: R7RS lexical syntax to data, with line and column in every error.

Everything in R7RS section 2 and 7.1.1 is read: comments (``;``, nested ``#| |#``,
datum comments ``#;``), ``#!fold-case`` / ``#!no-fold-case``, identifiers with ``|...|``
and escapes, all number syntaxes (see :mod:`.numbers`), characters by name and
``#\\x`` code, strings with escapes and line continuations, vectors, bytevectors,
quote/quasiquote/unquote(-splicing) abbreviations, dotted pairs, and datum labels
(``#0=`` / ``#0#``) for shared and circular structure.

The reader remembers where each list started (``locations``: id of its first pair to
text offset) so the compiler can name source lines in errors and backtraces.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from .numbers import parse_number
from .values import EOF, NIL, Char, MString, Pair, Symbol, char, sym

CHAR_NAMES = {
    "alarm": "\a", "backspace": "\b", "delete": "\x7f", "escape": "\x1b", "newline": "\n",
    "null": "\0", "return": "\r", "space": " ", "tab": "\t",
    # common extras
    "nul": "\0", "linefeed": "\n", "altmode": "\x1b", "rubout": "\x7f", "page": "\f",
}
STRING_ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\",
                  "|": "|", "0": "\0"}

_DELIMITERS = frozenset(" \t\n\r\f\v()[]\";|")
_ATOM_RE = re.compile(r"[^\s()\[\]\";|]+")
_SPACE_RE = re.compile(r"[ \t\n\r\f\v]+")
_INTRALINE = " \t"

QUOTE = sym("quote")
QUASIQUOTE = sym("quasiquote")
UNQUOTE = sym("unquote")
UNQUOTE_SPLICING = sym("unquote-splicing")


class ReadError(Exception):
    """Bad input; ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, origin: str, line: int, column: int) -> None:
        self.message = message
        self.origin = origin
        self.line = line
        self.column = column
        super().__init__(f"{origin}:{line}:{column}: {message}")


class Incomplete(ReadError):
    """The text ended inside a datum (more input could complete it)."""


class _Placeholder:
    __slots__ = ("label", "value")

    def __init__(self, label: int) -> None:
        self.label = label
        self.value: Any = None


class _Dot:
    pass


_DOT = _Dot()
_CLOSE = object()


class Reader:
    """Reads data from ``text`` starting at ``pos``; keeps ``fold_case`` across data."""

    def __init__(self, text: str, origin: str = "<string>", pos: int = 0, *, fold_case: bool = False,
                 line_offset: int = 0) -> None:
        self.text = text
        self.origin = origin
        self.pos = pos
        self.fold_case = fold_case
        self.locations: dict[int, int] = {}
        self._line_starts: list[int] | None = None
        self.line_offset = line_offset
        self.labels: dict[int, Any] = {}

    # ---------------------------------------------------------------- positions
    def line_col(self, pos: int) -> tuple[int, int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        index = bisect.bisect_right(self._line_starts, pos) - 1
        return index + 1 + self.line_offset, pos - self._line_starts[index] + 1

    def line_of(self, datum: Any) -> int | None:
        pos = self.locations.get(id(datum))
        return None if pos is None else self.line_col(pos)[0]

    def error(self, message: str, pos: int | None = None, *, incomplete: bool = False) -> ReadError:
        line, col = self.line_col(self.pos if pos is None else pos)
        return (Incomplete if incomplete else ReadError)(message, self.origin, line, col)

    # ---------------------------------------------------------------- public
    def read(self) -> Any:
        """The next datum, or EOF when only whitespace and comments remain."""
        self.labels = {}
        self._skip()
        if self.pos >= len(self.text):
            return EOF
        datum = self._datum()
        if datum is _CLOSE:
            raise self.error("unexpected ')'", self.pos - 1)
        if datum is _DOT:
            raise self.error("unexpected '.'", self.pos - 1)
        if self.labels:
            datum = _patch(datum, {})
        return datum

    def read_all(self) -> list[Any]:
        out = []
        while True:
            datum = self.read()
            if datum is EOF:
                return out
            out.append(datum)

    # ---------------------------------------------------------------- atmosphere
    def _skip(self) -> None:
        text = self.text
        n = len(text)
        while self.pos < n:
            c = text[self.pos]
            if c in " \t\n\r\f\v":
                m = _SPACE_RE.match(text, self.pos)
                self.pos = m.end()
            elif c == ";":
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end + 1
            elif c == "#" and self.pos + 1 < n:
                nxt = text[self.pos + 1]
                if nxt == "|":
                    self._block_comment()
                elif nxt == ";":
                    start = self.pos
                    self.pos += 2
                    self._skip()
                    if self.pos >= n:
                        raise self.error("datum comment '#;' without a datum", start, incomplete=True)
                    datum = self._datum()
                    if datum is _CLOSE or datum is _DOT:
                        raise self.error("datum comment '#;' without a datum", start)
                elif nxt == "!":
                    m = _ATOM_RE.match(text, self.pos + 2)
                    word = m.group(0).lower() if m else ""
                    if word == "fold-case":
                        self.fold_case = True
                    elif word == "no-fold-case":
                        self.fold_case = False
                    elif not (self.pos == 0 and text.startswith("#!/")):
                        if word not in ("r7rs", "eof", "default", "optional", "rest"):
                            raise self.error(f"unknown directive #!{word}")
                    if self.pos == 0 and text.startswith("#!/"):
                        end = text.find("\n")
                        self.pos = n if end < 0 else end + 1
                    else:
                        self.pos = m.end() if m else self.pos + 2
                else:
                    return
            else:
                return

    def _block_comment(self) -> None:
        text = self.text
        start = self.pos
        depth = 0
        pos = self.pos
        while True:
            i = text.find("|#", pos)
            j = text.find("#|", pos)
            if i < 0:
                self.pos = len(text)
                raise self.error("unterminated block comment '#|'", start, incomplete=True)
            if 0 <= j < i:
                depth += 1
                pos = j + 2
            else:
                depth -= 1
                pos = i + 2
                if depth == 0:
                    self.pos = pos
                    return

    # ---------------------------------------------------------------- data
    def _datum(self) -> Any:
        text = self.text
        start = self.pos
        c = text[start]
        if c == "(" or c == "[":
            self.pos += 1
            return self._list(start, ")" if c == "(" else "]")
        if c == ")" or c == "]":
            self.pos += 1
            return _CLOSE
        if c == "'":
            return self._abbrev(QUOTE)
        if c == "`":
            return self._abbrev(QUASIQUOTE)
        if c == ",":
            if text.startswith(",@", start):
                self.pos += 1
                return self._abbrev(UNQUOTE_SPLICING)
            return self._abbrev(UNQUOTE)
        if c == '"':
            return MString(self._string())
        if c == "|":
            return sym(self._bar_symbol())
        if c == "#":
            return self._hash(start)
        m = _ATOM_RE.match(text, start)
        token = m.group(0)
        self.pos = m.end()
        return self._atom(token, start)

    def _abbrev(self, head: Symbol) -> Any:
        start = self.pos
        self.pos += 1
        self._skip()
        if self.pos >= len(self.text):
            raise self.error(f"{head.name} abbreviation without a datum", start, incomplete=True)
        datum = self._datum()
        if datum is _CLOSE or datum is _DOT:
            raise self.error(f"{head.name} abbreviation without a datum", start)
        result = Pair(head, Pair(datum, NIL))
        self.locations[id(result)] = start
        return result

    def _list(self, start: int, close: str) -> Any:
        items: list[Any] = []
        tail: Any = NIL
        text = self.text
        while True:
            self._skip()
            if self.pos >= len(text):
                raise self.error("unterminated list (missing ')')", start, incomplete=True)
            c = text[self.pos]
            if c == ")" or c == "]":
                if c != close:
                    raise self.error(f"list opened with '{'(' if close == ')' else '['}' closed with '{c}'")
                self.pos += 1
                break
            datum_pos = self.pos
            datum = self._datum()
            if datum is _DOT:
                if not items:
                    raise self.error("'.' at the start of a list", datum_pos)
                self._skip()
                if self.pos >= len(text):
                    raise self.error("unterminated dotted list", start, incomplete=True)
                tail = self._datum()
                if tail is _CLOSE or tail is _DOT:
                    raise self.error("expected one datum after '.'", datum_pos)
                self._skip()
                if self.pos >= len(text):
                    raise self.error("unterminated dotted list", start, incomplete=True)
                if text[self.pos] not in ")]":
                    raise self.error("expected ')' after the datum following '.'")
                self.pos += 1
                break
            items.append(datum)
        result = tail
        for item in reversed(items):
            result = Pair(item, result)
        if items:
            self.locations[id(result)] = start
        return result

    def _string(self) -> str:
        text = self.text
        start = self.pos
        pos = start + 1
        out: list[str] = []
        n = len(text)
        while True:
            end = pos
            while end < n and text[end] != '"' and text[end] != "\\":
                end += 1
            out.append(text[pos:end])
            if end >= n:
                self.pos = n
                raise self.error("unterminated string", start, incomplete=True)
            if text[end] == '"':
                self.pos = end + 1
                return "".join(out)
            pos = self._escape(end, out, start)

    def _escape(self, pos: int, out: list[str], start: int) -> int:
        """Handle the escape at ``pos`` (a backslash); return the position after it."""
        text = self.text
        n = len(text)
        if pos + 1 >= n:
            self.pos = n
            raise self.error("unterminated string", start, incomplete=True)
        e = text[pos + 1]
        if e in STRING_ESCAPES:
            out.append(STRING_ESCAPES[e])
            return pos + 2
        if e == "x" or e == "X":
            end = text.find(";", pos + 2)
            if end < 0:
                raise self.error("\\x escape without a closing ';'", pos)
            try:
                out.append(chr(int(text[pos + 2:end], 16)))
            except (ValueError, OverflowError):
                raise self.error(f"bad \\x escape '{text[pos:end + 1]}'", pos) from None
            return end + 1
        if e in _INTRALINE or e == "\n" or e == "\r":
            p = pos + 1
            while p < n and text[p] in _INTRALINE:
                p += 1
            if p < n and text[p] == "\r":
                p += 1
            if p >= n or text[p] != "\n":
                if p >= n:
                    raise self.error("unterminated string", start, incomplete=True)
                raise self.error("'\\' followed by spaces must end the line", pos)
            p += 1
            while p < n and text[p] in _INTRALINE:
                p += 1
            return p
        raise self.error(f"unknown string escape '\\{e}'", pos)

    def _bar_symbol(self) -> str:
        text = self.text
        start = self.pos
        pos = start + 1
        out: list[str] = []
        n = len(text)
        while True:
            end = pos
            while end < n and text[end] != "|" and text[end] != "\\":
                end += 1
            out.append(text[pos:end])
            if end >= n:
                self.pos = n
                raise self.error("unterminated |symbol|", start, incomplete=True)
            if text[end] == "|":
                self.pos = end + 1
                return "".join(out)
            pos = self._escape(end, out, start)

    def _hash(self, start: int) -> Any:
        text = self.text
        n = len(text)
        if start + 1 >= n:
            self.pos = n
            raise self.error("'#' at the end of the input", start, incomplete=True)
        c = text[start + 1]
        if c == "(":
            self.pos = start + 2
            return list(_elements(self._list(start, ")"), self, start))
        if c == "\\":
            return self._char(start)
        if c in "uU" and text.startswith("8(", start + 2):
            self.pos = start + 4
            items = _elements(self._list(start, ")"), self, start)
            for item in items:
                if type(item) is not int or not 0 <= item <= 255:
                    raise self.error("bytevector elements must be integers 0..255", start)
            return bytearray(items)
        if c.isdigit():
            m = re.compile(r"#(\d+)([=#])").match(text, start)
            if m:
                label = int(m.group(1))
                self.pos = m.end()
                if m.group(2) == "#":
                    if label not in self.labels:
                        raise self.error(f"undefined datum label #{label}#", start)
                    return self.labels[label]
                holder = _Placeholder(label)
                self.labels[label] = holder
                self._skip()
                if self.pos >= n:
                    raise self.error(f"datum label #{label}= without a datum", start, incomplete=True)
                datum = self._datum()
                if datum is _CLOSE or datum is _DOT:
                    raise self.error(f"datum label #{label}= without a datum", start)
                holder.value = datum
                self.labels[label] = datum
                return datum
        m = _ATOM_RE.match(text, start)
        token = m.group(0)
        self.pos = m.end()
        lower = token.lower()
        if lower in ("#t", "#true"):
            return True
        if lower in ("#f", "#false"):
            return False
        value = parse_number(token)
        if value is not None:
            return value
        if len(token) > 1 and token[1] in "eEiIxXbBoOdD":
            raise self.error(f"bad number '{token}'", start)
        raise self.error(f"unknown '#' syntax '{token}'", start)

    def _char(self, start: int) -> Char:
        text = self.text
        n = len(text)
        if start + 2 >= n:
            self.pos = n
            raise self.error("'#\\' at the end of the input", start, incomplete=True)
        end = start + 3
        while end < n and text[end] not in _DELIMITERS:
            end += 1
        name = text[start + 2:end]
        self.pos = end
        if len(name) == 1:
            return char(name)
        lower = name.lower()
        if lower in CHAR_NAMES:
            return char(CHAR_NAMES[lower])
        if lower[0] == "x" and len(name) > 1:
            try:
                return char(chr(int(name[1:], 16)))
            except (ValueError, OverflowError):
                pass
        if self.fold_case and lower in CHAR_NAMES:
            return char(CHAR_NAMES[lower])
        raise self.error(f"unknown character name '#\\{name}'", start)

    def _atom(self, token: str, start: int) -> Any:
        if token == ".":
            return _DOT
        c = token[0]
        if c.isdigit() or c in "+-.":
            value = parse_number(token)
            if value is not None:
                return value
            if c.isdigit():
                if not all(ch.isalnum() or ch in "+-.*/<=>!?:$%_&~^@" for ch in token):
                    raise self.error(f"bad number '{token}'", start)
        if self.fold_case:
            token = token.casefold()
        return sym(token)


def _elements(lst: Any, reader: Reader, start: int) -> list[Any]:
    out = []
    while type(lst) is Pair:
        out.append(lst.car)
        lst = lst.cdr
    if lst is not NIL:
        raise reader.error("a dot is not allowed in a vector", start)
    return out


def _patch(datum: Any, seen: dict[int, bool]) -> Any:
    """Replace label placeholders inside ``datum`` by what they stand for."""
    if type(datum) is _Placeholder:
        return datum.value
    stack = [datum]
    while stack:
        x = stack.pop()
        if id(x) in seen:
            continue
        if type(x) is Pair:
            seen[id(x)] = True
            if type(x.car) is _Placeholder:
                x.car = x.car.value
            if type(x.cdr) is _Placeholder:
                x.cdr = x.cdr.value
            stack.append(x.car)
            stack.append(x.cdr)
        elif type(x) is list:
            seen[id(x)] = True
            for i, item in enumerate(x):
                if type(item) is _Placeholder:
                    x[i] = item.value
                stack.append(x[i])
    return datum


def read_all(text: str, origin: str = "<string>") -> tuple[list[Any], Reader]:
    reader = Reader(text, origin)
    return reader.read_all(), reader
