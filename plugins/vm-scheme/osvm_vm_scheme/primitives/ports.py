"""Ports (R7RS 6.13): string and bytevector ports, the console, and files of the VM.

Console output is buffered in the running context and written with ``/os/console/write``
at the end of each line (and before any other system call, at preemption and at the end),
so ``display`` stays a pure primitive. Reading the console may have to wait for input:
the reading procedures are Control procedures that, when the console has not enough
buffered text, receive from the ``console0`` device port (a system call) and retry.
End of input is a receive that times out (after ``CONSOLE_EOF_CYCLES`` of silence, which
on an idle system is only a jump of the simulated clock).

Files: each VM has an in-memory file system (``vm.files``), empty at start; ``.`` and ``/``
exist as directories. Guest programs cannot reach the host's files at run time.
"""

from __future__ import annotations

from typing import Any

from ..machine import Context, KernelRequest, Parameter, Running, Thunk, apply_procedure, param_value
from ..printer import display_string, write_to
from ..reader import Incomplete, Reader, ReadError
from ..values import EOF, UNSPECIFIED, Char, ErrorObject, MString, SchemeError, char, error
from .registry import PRIMITIVES, control, prim


class NeedInput(Exception):
    """The console has not enough buffered input for this read."""


class Port:
    input = False
    output = False
    textual = True
    kind = "port"

    def __init__(self) -> None:
        self.is_open = True

    def write_repr(self) -> str:
        direction = "input" if self.input else "output"
        return f"#<{'textual' if self.textual else 'binary'}-{direction}-port {self.kind}>"

    def check_open(self, name: str) -> None:
        if not self.is_open:
            raise error(f"{name}: the port is closed", self, kind="port")

    def close(self) -> None:
        self.is_open = False


class TextInput(Port):
    """A textual input port over a string (``eof`` when the text is all there is)."""

    input = True
    kind = "string"

    def __init__(self, text: str, origin: str = "<string>") -> None:
        super().__init__()
        self.text = text
        self.pos = 0
        self.origin = origin
        self.fold_case = False

    def at_eof(self) -> bool:
        return True

    def need(self) -> None:
        """More text is wanted: only an interactive port can get it."""

    def read_char(self, peek: bool = False) -> Any:
        if self.pos >= len(self.text):
            if not self.at_eof():
                raise NeedInput
            return EOF
        c = self.text[self.pos]
        if not peek:
            self.pos += 1
        return char(c)

    def read_line(self) -> Any:
        text = self.text
        end = text.find("\n", self.pos)
        if end < 0:
            if not self.at_eof():
                raise NeedInput
            if self.pos >= len(text):
                return EOF
            line = text[self.pos:]
            self.pos = len(text)
            return MString(line)
        line = text[self.pos:end]
        self.pos = end + 1
        return MString(line.rstrip("\r"))

    def read_string(self, k: int) -> Any:
        available = len(self.text) - self.pos
        if available < k and not self.at_eof():
            raise NeedInput
        if available <= 0:
            return EOF
        s = self.text[self.pos:self.pos + k]
        self.pos += len(s)
        return MString(s)

    def read_datum(self) -> Any:
        reader = Reader(self.text, self.origin, self.pos, fold_case=self.fold_case)
        try:
            datum = reader.read()
        except Incomplete as e:
            if not self.at_eof():
                raise NeedInput from None
            self.pos = len(self.text)
            raise SchemeError(ErrorObject(f"read: {e.message} (line {e.line}, column {e.column})", [],
                                          kind="read")) from None
        except ReadError as e:
            self.pos = reader.pos
            raise SchemeError(ErrorObject(f"read: {e.message} (line {e.line}, column {e.column})", [],
                                          kind="read")) from None
        if datum is EOF and not self.at_eof():
            raise NeedInput
        self.pos = reader.pos
        self.fold_case = reader.fold_case
        return datum

    def ready(self) -> bool:
        return self.pos < len(self.text) or self.at_eof()


class ConsoleBuffer(TextInput):
    """What a VM has received from the console and not read yet (one per VM)."""

    kind = "console"

    def __init__(self) -> None:
        super().__init__("", "<console>")
        self.eof = False

    def at_eof(self) -> bool:
        return self.eof

    def feed(self, data: Any) -> None:
        text = bytes(data).decode("utf-8", "replace") if not isinstance(data, str) else data
        self.text = self.text[self.pos:] + text
        self.pos = 0


class ConsoleInput(Port):
    """The console input port: reads the running VM's :class:`ConsoleBuffer`."""

    input = True
    kind = "console"

    def _buffer(self) -> ConsoleBuffer:
        vm = getattr(Running.ctx, "vm", None)
        if vm is None:
            raise error("the console is not available here", kind="port")
        return vm.console_input

    def read_char(self, peek: bool = False) -> Any:
        return self._buffer().read_char(peek)

    def read_line(self) -> Any:
        return self._buffer().read_line()

    def read_string(self, k: int) -> Any:
        return self._buffer().read_string(k)

    def read_datum(self) -> Any:
        return self._buffer().read_datum()

    def ready(self) -> bool:
        return self._buffer().ready()


class BytesInput(Port):
    input = True
    textual = False
    kind = "bytevector"

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.data = bytes(data)
        self.pos = 0


class TextOutput(Port):
    output = True
    kind = "string"

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []

    def write(self, text: str) -> None:
        self.chunks.append(text)

    def value(self) -> str:
        text = "".join(self.chunks)
        self.chunks = [text]
        return text


class ConsoleOutput(Port):
    """The console: text waits in the running context until the line ends, then is written
    with a system call."""

    output = True
    kind = "console"

    def write(self, text: str) -> None:
        ctx = Running.ctx
        if ctx is None:
            return
        ctx.out.append(text)
        if "\n" in text:
            ctx.flush = True


class BytesOutput(Port):
    output = True
    textual = False
    kind = "bytevector"

    def __init__(self) -> None:
        super().__init__()
        self.data = bytearray()


class FileTextOutput(TextOutput):
    kind = "file"

    def __init__(self, files: dict[str, bytes], name: str) -> None:
        super().__init__()
        self.files = files
        self.name = name
        files[name] = b""

    def close(self) -> None:
        if self.is_open:
            self.files[self.name] = self.value().encode("utf-8")
        super().close()

    def write(self, text: str) -> None:
        super().write(text)
        self.files[self.name] = self.value().encode("utf-8")


class FileBytesOutput(BytesOutput):
    kind = "file"

    def __init__(self, files: dict[str, bytes], name: str) -> None:
        super().__init__()
        self.files = files
        self.name = name
        files[name] = b""

    def flush_to_file(self) -> None:
        self.files[self.name] = bytes(self.data)


CONSOLE_IN = ConsoleInput()
CONSOLE_OUT = ConsoleOutput()
CURRENT_INPUT = Parameter(CONSOLE_IN, None, "current-input-port")
CURRENT_OUTPUT = Parameter(CONSOLE_OUT, None, "current-output-port")
CURRENT_ERROR = Parameter(CONSOLE_OUT, None, "current-error-port")
PRIMITIVES["current-input-port"] = CURRENT_INPUT
PRIMITIVES["current-output-port"] = CURRENT_OUTPUT
PRIMITIVES["current-error-port"] = CURRENT_ERROR


def current_output() -> Any:
    ctx = Running.ctx
    if ctx is None:
        return CONSOLE_OUT
    return param_value(ctx, CURRENT_OUTPUT)


def current_input(m: Context) -> Any:
    return param_value(m, CURRENT_INPUT)


def _out(port: Any, name: str, textual: bool = True) -> Any:
    if port is None:
        port = current_output()
    if not isinstance(port, Port) or not port.output:
        raise error(f"{name}: not an output port", port, kind="type")
    port.check_open(name)
    if port.textual != textual:
        raise error(f"{name}: not a {'textual' if textual else 'binary'} port", port, kind="type")
    return port


def _in(m: Context, port: Any, name: str, textual: bool = True) -> Any:
    if port is None:
        port = current_input(m)
    if not isinstance(port, Port) or not port.input:
        raise error(f"{name}: not an input port", port, kind="type")
    port.check_open(name)
    if port.textual != textual:
        raise error(f"{name}: not a {'textual' if textual else 'binary'} port", port, kind="type")
    return port


# ---------------------------------------------------------------- output


@prim("write-char")
def write_char(c: Any, port: Any = None) -> Any:
    if type(c) is not Char:
        raise error("write-char: not a character", c, kind="type")
    _out(port, "write-char").write(c.ch)
    return UNSPECIFIED


@prim("write-string")
def write_string(s: Any, port: Any = None, start: Any = 0, end: Any = None) -> Any:
    if type(s) is not MString:
        raise error("write-string: not a string", s, kind="type")
    text = s.s if start == 0 and end is None else s.s[start:end]
    _out(port, "write-string").write(text)
    return UNSPECIFIED


@prim("newline")
def newline(port: Any = None) -> Any:
    _out(port, "newline").write("\n")
    return UNSPECIFIED


@prim("display")
def display(x: Any, port: Any = None) -> Any:
    _out(port, "display").write(display_string(x))
    return UNSPECIFIED


def _writer(name: str, mode: str) -> None:
    def write(x: Any, port: Any = None) -> Any:
        out: list[str] = []
        write_to(x, out, mode=mode)
        _out(port, name).write("".join(out))
        return UNSPECIFIED
    write.__name__ = name
    prim(name)(write)


_writer("write", "write")
_writer("write-shared", "shared")
_writer("write-simple", "simple")


@prim("write-u8")
def write_u8(b: Any, port: Any = None) -> Any:
    if type(b) is not int or not 0 <= b <= 255:
        raise error("write-u8: not a byte", b, kind="type")
    p = _out(port, "write-u8", False)
    p.data.append(b)
    if isinstance(p, FileBytesOutput):
        p.flush_to_file()
    return UNSPECIFIED


@prim("write-bytevector")
def write_bytevector(bv: Any, port: Any = None, start: Any = 0, end: Any = None) -> Any:
    if type(bv) is not bytearray:
        raise error("write-bytevector: not a bytevector", bv, kind="type")
    p = _out(port, "write-bytevector", False)
    p.data += bv[start:end]
    if isinstance(p, FileBytesOutput):
        p.flush_to_file()
    return UNSPECIFIED


@prim("flush-output-port")
def flush_output_port(port: Any = None) -> Any:
    p = current_output() if port is None else port
    if p is CONSOLE_OUT and Running.ctx is not None and Running.ctx.out:
        Running.ctx.flush = True
    return UNSPECIFIED


# ---------------------------------------------------------------- port objects


@prim("open-input-string")
def open_input_string(s: Any) -> TextInput:
    if type(s) is not MString:
        raise error("open-input-string: not a string", s, kind="type")
    return TextInput(s.s)


@prim("open-output-string")
def open_output_string() -> TextOutput:
    return TextOutput()


@prim("get-output-string")
def get_output_string(port: Any) -> MString:
    if not isinstance(port, TextOutput):
        raise error("get-output-string: not a string output port", port, kind="type")
    return MString(port.value())


@prim("open-input-bytevector")
def open_input_bytevector(bv: Any) -> BytesInput:
    if type(bv) is not bytearray:
        raise error("open-input-bytevector: not a bytevector", bv, kind="type")
    return BytesInput(bv)


@prim("open-output-bytevector")
def open_output_bytevector() -> BytesOutput:
    return BytesOutput()


@prim("get-output-bytevector")
def get_output_bytevector(port: Any) -> bytearray:
    if not isinstance(port, BytesOutput):
        raise error("get-output-bytevector: not a bytevector output port", port, kind="type")
    return bytearray(port.data)


@prim("port?")
def port_p(x: Any) -> bool:
    return isinstance(x, Port)


@prim("input-port?")
def input_port_p(x: Any) -> bool:
    return isinstance(x, Port) and x.input


@prim("output-port?")
def output_port_p(x: Any) -> bool:
    return isinstance(x, Port) and x.output


@prim("textual-port?")
def textual_port_p(x: Any) -> bool:
    return isinstance(x, Port) and x.textual


@prim("binary-port?")
def binary_port_p(x: Any) -> bool:
    return isinstance(x, Port) and not x.textual


@prim("input-port-open?")
def input_port_open(x: Any) -> bool:
    if not isinstance(x, Port) or not x.input:
        raise error("input-port-open?: not an input port", x, kind="type")
    return x.is_open


@prim("output-port-open?")
def output_port_open(x: Any) -> bool:
    if not isinstance(x, Port) or not x.output:
        raise error("output-port-open?: not an output port", x, kind="type")
    return x.is_open


def _close(x: Any, name: str) -> Any:
    if not isinstance(x, Port):
        raise error(f"{name}: not a port", x, kind="type")
    if x is not CONSOLE_IN and x is not CONSOLE_OUT:
        x.close()
    if isinstance(x, FileBytesOutput):
        x.flush_to_file()
    return UNSPECIFIED


@prim("close-port")
def close_port(x: Any) -> Any:
    return _close(x, "close-port")


@prim("close-input-port")
def close_input_port(x: Any) -> Any:
    return _close(x, "close-input-port")


@prim("close-output-port")
def close_output_port(x: Any) -> Any:
    return _close(x, "close-output-port")


@prim("eof-object")
def eof_object() -> Any:
    return EOF


@prim("eof-object?")
def eof_object_p(x: Any) -> bool:
    return x is EOF


# ---------------------------------------------------------------- input (may wait for the console)


def reading(name: str) -> Any:
    """Register ``fn(m, port, *args)`` as a Control procedure that waits for console input."""
    def register(fn: Any) -> Any:
        def run(m: Context, *args: Any) -> None:
            try:
                m.val = fn(m, *args)
                m.node = None
            except NeedInput:
                _wait_for_console(m, PRIMITIVES[name], list(args))
        run.__name__ = fn.__name__
        control(name)(run)
        return fn
    return register


def _wait_for_console(m: Context, proc: Any, args: list[Any]) -> None:
    vm = m.vm
    state = vm.console_input

    def retry(m: Context) -> None:
        apply_procedure(m, proc, args)

    def reply(m: Context, data: Any) -> None:
        if isinstance(data, bytes | bytearray) and not data:
            state.eof = True                  # the board's "end of input" message
        else:
            state.feed(data)
        m.node = Thunk(retry)

    def failed(m: Context, err: Any) -> None:
        state.eof = True
        m.node = Thunk(retry)
    binding, port_args = vm.console_receive_request()
    m.node = Thunk(retry)
    raise KernelRequest(binding, port_args, reply, failed)


@reading("read-char")
def read_char(m: Context, port: Any = None) -> Any:
    return _in(m, port, "read-char").read_char()


@reading("peek-char")
def peek_char(m: Context, port: Any = None) -> Any:
    return _in(m, port, "peek-char").read_char(peek=True)


@reading("read-line")
def read_line(m: Context, port: Any = None) -> Any:
    return _in(m, port, "read-line").read_line()


@reading("read-string")
def read_string(m: Context, k: Any, port: Any = None) -> Any:
    if type(k) is not int or k < 0:
        raise error("read-string: not a valid count", k, kind="type")
    return _in(m, port, "read-string").read_string(k)


@reading("read")
def read(m: Context, port: Any = None) -> Any:
    return _in(m, port, "read").read_datum()


@reading("char-ready?")
def char_ready(m: Context, port: Any = None) -> Any:
    return _in(m, port, "char-ready?").ready()


def _bytes_in(m: Context, port: Any, name: str) -> BytesInput:
    return _in(m, port, name, textual=False)


@prim("read-u8", pure=False)
def read_u8(port: Any = None) -> Any:
    p = _bytes_in(Running.ctx, port, "read-u8")
    if p.pos >= len(p.data):
        return EOF
    p.pos += 1
    return p.data[p.pos - 1]


@prim("peek-u8", pure=False)
def peek_u8(port: Any = None) -> Any:
    p = _bytes_in(Running.ctx, port, "peek-u8")
    if p.pos >= len(p.data):
        return EOF
    return p.data[p.pos]


@prim("u8-ready?", pure=False)
def u8_ready(port: Any = None) -> bool:
    _bytes_in(Running.ctx, port, "u8-ready?")
    return True


@prim("read-bytevector", pure=False)
def read_bytevector(k: Any, port: Any = None) -> Any:
    p = _bytes_in(Running.ctx, port, "read-bytevector")
    if p.pos >= len(p.data):
        return EOF
    chunk = p.data[p.pos:p.pos + k]
    p.pos += len(chunk)
    return bytearray(chunk)


@prim("read-bytevector!", pure=False)
def read_bytevector_bang(bv: Any, port: Any = None, start: Any = 0, end: Any = None) -> Any:
    p = _bytes_in(Running.ctx, port, "read-bytevector!")
    if end is None:
        end = len(bv)
    if p.pos >= len(p.data):
        return EOF
    chunk = p.data[p.pos:p.pos + (end - start)]
    bv[start:start + len(chunk)] = chunk
    p.pos += len(chunk)
    return len(chunk)


# ---------------------------------------------------------------- files (the VM's own)


def _files() -> dict[str, bytes]:
    vm = getattr(Running.ctx, "vm", None)
    if vm is None:
        raise error("files are not available here", kind="file")
    return vm.files


def _name(x: Any, what: str) -> str:
    if type(x) is not MString:
        raise error(f"{what}: file names are strings", x, kind="type")
    return x.s


def _file_error(what: str, name: str) -> SchemeError:
    return SchemeError(ErrorObject(f"{what}: no such file", [MString(name)], kind="file"))


@prim("file-exists?", pure=False)
def file_exists(name: Any) -> bool:
    n = _name(name, "file-exists?")
    return n in (".", "/", "./") or n in _files()


@prim("delete-file", pure=False)
def delete_file(name: Any) -> Any:
    n = _name(name, "delete-file")
    files = _files()
    if n not in files:
        raise _file_error("delete-file", n)
    del files[n]
    return UNSPECIFIED


@prim("open-input-file", pure=False)
def open_input_file(name: Any) -> TextInput:
    n = _name(name, "open-input-file")
    files = _files()
    if n not in files:
        raise _file_error("open-input-file", n)
    port = TextInput(files[n].decode("utf-8", "replace"), n)
    port.kind = "file"
    return port


@prim("open-binary-input-file", pure=False)
def open_binary_input_file(name: Any) -> BytesInput:
    n = _name(name, "open-binary-input-file")
    files = _files()
    if n not in files:
        raise _file_error("open-binary-input-file", n)
    port = BytesInput(files[n])
    port.kind = "file"
    return port


@prim("open-output-file", pure=False)
def open_output_file(name: Any) -> FileTextOutput:
    return FileTextOutput(_files(), _name(name, "open-output-file"))


@prim("open-binary-output-file", pure=False)
def open_binary_output_file(name: Any) -> FileBytesOutput:
    return FileBytesOutput(_files(), _name(name, "open-binary-output-file"))

