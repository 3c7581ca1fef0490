"""Turning a Python source file into a guest module namespace.

The source is compiled with its real file name (so tracebacks point at it) and
executed once in a fresh namespace; ``need()`` calls made while it runs are
collected as the module's imports.
"""

from __future__ import annotations

from typing import Any

from osvm_core.errors import ParameterError

from .guest import Declaration, _loading


class LoadError(ParameterError):
    """A Python guest module could not be compiled or failed while it was loaded."""


def load_source(vm_name: str, module_name: str, source: bytes, origin: str) -> tuple[dict[str, Any], Declaration]:
    try:
        code = compile(source, origin, "exec")
    except SyntaxError as error:
        raise LoadError(f"{origin}:{error.lineno}:{error.offset}: syntax error: {error.msg}") from None
    except ValueError as error:
        raise LoadError(f"{origin}: cannot compile: {error}") from None
    namespace: dict[str, Any] = {"__name__": f"osvm.{vm_name}.{module_name}", "__file__": origin}
    declaration = Declaration()
    token = _loading.set(declaration)
    try:
        exec(code, namespace)
    except Exception as error:
        line = ""
        tb = error.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == origin:
                line = f":{tb.tb_lineno}"
            tb = tb.tb_next
        raise LoadError(f"{origin}{line}: loading failed: {type(error).__name__}: {error}") from None
    finally:
        _loading.reset(token)
    return namespace, declaration
