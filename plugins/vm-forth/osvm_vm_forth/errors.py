"""THROW codes, their standard messages, and how OS errors become THROW codes."""

from __future__ import annotations

# OS errors (μITRON codes, e.g. E_TMOUT -50) reach Forth as THROW codes OS_THROW_BASE + code,
# outside the range the standard reserves: E_TMOUT is -1050, E_QOVR -1043, E_NOEXS -1042.
OS_THROW_BASE = -1000

MESSAGES = {
    -1: "Aborted",
    -2: "Aborted",
    -3: "Stack overflow",
    -4: "Stack underflow",
    -5: "Return stack overflow",
    -6: "Return stack underflow",
    -7: "Do-loops nested too deeply during execution",
    -8: "Dictionary overflow",
    -9: "Invalid memory address",
    -10: "Division by zero",
    -11: "Result out of range",
    -12: "Argument type mismatch",
    -13: "Undefined word",
    -14: "Interpreting a compile-only word",
    -15: "Invalid FORGET",
    -16: "Attempt to use zero-length string as a name",
    -17: "Pictured numeric output string overflow",
    -18: "Parsed string overflow",
    -19: "Definition name too long",
    -20: "Write to a read-only location",
    -21: "Unsupported operation",
    -22: "Control structure mismatch",
    -23: "Address alignment exception",
    -24: "Invalid numeric argument",
    -25: "Return stack imbalance",
    -26: "Loop parameters unavailable",
    -27: "Invalid recursion",
    -28: "User interrupt",
    -29: "Compiler nesting",
    -30: "Obsolescent feature",
    -31: ">BODY used on non-CREATEd definition",
    -32: "Invalid name argument",
    -33: "Block read exception",
    -34: "Block write exception",
    -35: "Invalid block number",
    -36: "Invalid file position",
    -37: "File I/O exception",
    -38: "Non-existent file",
    -39: "Unexpected end of file",
    -40: "Invalid BASE for floating point conversion",
    -41: "Loss of precision",
    -42: "Floating-point divide by zero",
    -43: "Floating-point result out of range",
    -44: "Floating-point stack overflow",
    -45: "Floating-point stack underflow",
    -46: "Floating-point invalid argument",
    -47: "Compilation word list deleted",
    -48: "Invalid POSTPONE",
    -49: "Search-order overflow",
    -50: "Search-order underflow",
    -51: "Compilation word list changed",
    -52: "Control-flow stack overflow",
    -53: "Exception stack overflow",
    -54: "Floating-point underflow",
    -55: "Floating-point unidentified fault",
    -56: "QUIT",
    -57: "Exception in sending or receiving a character",
    -58: "[IF], [ELSE], or [THEN] exception",
    -59: "ALLOCATE",
    -60: "FREE",
    -61: "RESIZE",
    -62: "CLOSE-FILE",
    -63: "CREATE-FILE",
    -64: "DELETE-FILE",
    -65: "FILE-POSITION",
    -66: "FILE-SIZE",
    -67: "FILE-STATUS",
    -68: "FLUSH-FILE",
    -69: "OPEN-FILE",
    -70: "READ-FILE",
    -71: "READ-LINE",
    -72: "RENAME-FILE",
    -73: "REPOSITION-FILE",
    -74: "RESIZE-FILE",
    -75: "WRITE-FILE",
    -76: "WRITE-LINE",
}


class ForthThrow(Exception):
    """Raised inside a primitive: the machine turns it into a Forth THROW of ``code``."""

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(message or describe(code))
        self.code = code
        self.message = message


def describe(code: int) -> str:
    """The text for a THROW code: the standard's, an OS error's name, or the number."""
    if code in MESSAGES:
        return MESSAGES[code]
    if OS_THROW_BASE - 255 <= code < OS_THROW_BASE + 0 or code == OS_THROW_BASE:
        from osvm_core.errors import CODE_NAMES

        ercd = code - OS_THROW_BASE
        return f"OS error {CODE_NAMES.get(ercd, ercd)}"
    return f"Uncaught exception {code}"
