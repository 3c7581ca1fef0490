"""Execution: pre-decoding to compact code, the step-machine interpreter, and the translator.

``new_thread`` picks the executor: functions translated to Python generators
(``translate`` + ``tthread``, the default) or the interpreter (``machine``).
Both follow the same cost model to the cycle. ``OSVM_WASM_EXECUTOR=interp``
in the environment (read at import) or ``set_executor`` chooses.
"""

from __future__ import annotations

import os
from typing import Any

from .events import Event, Finished, HostCall, Preempted, Trapped
from .machine import DEFAULT_MAX_DEPTH, Thread

EXECUTORS = ("translate", "interp")
_executor = os.environ.get("OSVM_WASM_EXECUTOR", "translate")
if _executor not in EXECUTORS:
    _executor = "translate"


def set_executor(name: str) -> None:
    """Choose the executor of threads made from now on: "translate" or "interp"."""
    global _executor
    if name not in EXECUTORS:
        raise ValueError(f"executor must be one of {EXECUTORS}, got {name!r}")
    _executor = name


def executor() -> str:
    return _executor


def new_thread(func: Any, args: Any = (), *, max_depth: int = DEFAULT_MAX_DEPTH, inline_host: bool = True,
               executor: str | None = None) -> Any:
    """A step machine for ``func(*args)`` with the chosen executor (host functions: the interpreter's)."""
    from ..runtime.func import WasmFunction

    if (executor or _executor) == "translate" and func.__class__ is WasmFunction:
        from .tthread import TranslatedThread

        return TranslatedThread(func, args, max_depth=max_depth, inline_host=inline_host)
    return Thread(func, args, max_depth=max_depth, inline_host=inline_host)


__all__ = ["Event", "Finished", "HostCall", "Preempted", "Thread", "Trapped", "executor", "new_thread",
           "set_executor"]
