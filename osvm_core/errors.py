"""μITRON 4.0 error codes as one exception hierarchy.

Guest-visible results are these codes; inside Python they travel as
exceptions that carry the code, so a VM can turn one back into a number
(native code, Forth) or re-raise it (Python guests).
"""

from __future__ import annotations

E_OK = 0
E_SYS = -5
E_NOSPT = -9
E_RSFN = -10
E_RSATR = -11
E_PAR = -17
E_ID = -18
E_CTX = -25
E_MACV = -26
E_OACV = -27
E_ILUSE = -28
E_NOMEM = -33
E_NOID = -34
E_OBJ = -41
E_NOEXS = -42
E_QOVR = -43
E_RLWAI = -49
E_TMOUT = -50
E_DLT = -51
E_CLS = -52
E_WBLK = -57
E_BOVR = -58

CODE_NAMES: dict[int, str] = {
    value: name
    for name, value in globals().items()
    if name.startswith("E_") and isinstance(value, int)
}


class OsvmError(Exception):
    """Base of every error the OS layer reports; ``code`` is the μITRON code."""

    code: int = E_SYS

    def __init__(self, message: str = "", code: int | None = None) -> None:
        if code is not None:
            self.code = code
        super().__init__(message or CODE_NAMES.get(self.code, str(self.code)))

    @property
    def code_name(self) -> str:
        return CODE_NAMES.get(self.code, str(self.code))

    def __str__(self) -> str:
        text = super().__str__()
        return text if text.startswith(self.code_name) else f"{self.code_name}: {text}"


class SystemError_(OsvmError):
    code = E_SYS


class NotSupported(OsvmError):
    code = E_NOSPT


class ParameterError(OsvmError):
    code = E_PAR


class BadId(OsvmError):
    code = E_ID


class ContextError(OsvmError):
    code = E_CTX


class AccessViolation(OsvmError):
    code = E_OACV


class IllegalUse(OsvmError):
    code = E_ILUSE


class NoMemory(OsvmError):
    code = E_NOMEM


class ObjectStateError(OsvmError):
    code = E_OBJ


class NoSuchObject(OsvmError):
    code = E_NOEXS


class QueueOverflow(OsvmError):
    code = E_QOVR


class WaitReleased(OsvmError):
    code = E_RLWAI


class Timeout(OsvmError):
    code = E_TMOUT


class Deleted(OsvmError):
    code = E_DLT


class SignatureError(ParameterError):
    """A signature could not be parsed, or two signatures do not match at bind time."""


class GuestFault(OsvmError):
    """A guest did something illegal (bad opcode, trap, bad access); ends its task."""

    code = E_SYS

    def __init__(self, message: str, *, where: str = "", detail: str = "") -> None:
        self.where = where
        self.detail = detail
        super().__init__(f"{message}" + (f" at {where}" if where else ""))


_BY_CODE: dict[int, type[OsvmError]] = {
    cls.code: cls
    for cls in (
        SystemError_, NotSupported, ParameterError, BadId, ContextError, AccessViolation,
        IllegalUse, NoMemory, ObjectStateError, NoSuchObject, QueueOverflow, WaitReleased,
        Timeout, Deleted,
    )
}


def error_for(code: int, message: str = "") -> OsvmError:
    """The exception for a μITRON code (used when a guest returns a raw code)."""
    cls = _BY_CODE.get(code, OsvmError)
    return cls(message, code=code)
