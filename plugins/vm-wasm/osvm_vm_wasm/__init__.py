"""osvm_vm_wasm: the WebAssembly 1.0 VM of osvm and its engine.

Public API of the engine::

    module = load(wasm_bytes)                  # LoadError / ValidationError
    engine = Engine()                          # owns a Store (registry, limits, memory hooks)
    engine.store.register("env", {...})        # externs other modules import
    inst = engine.instantiate(module)          # LinkError; Trap if start traps
    engine.invoke(inst, "f", [raw args])       # synchronous, raw values
    t = engine.thread(inst.exports["f"], args) # step machine
    ev = t.run(budget)                         # Finished | Preempted | Trapped | HostCall
    t.resume([raw results])                    # answer a HostCall, then run again

The names are imported on first use, so importing the package (as the plugin
module does when ``osvm`` starts) costs nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "Engine": ".engine", "load": ".engine",
    "Exhaustion": ".errors", "LinkError": ".errors", "LoadError": ".errors", "Trap": ".errors",
    "ValidationError": ".errors", "WasmError": ".errors",
    "Event": ".exec", "Finished": ".exec", "HostCall": ".exec", "Preempted": ".exec", "Thread": ".exec",
    "Trapped": ".exec", "new_thread": ".exec", "set_executor": ".exec",
    "from_python": ".exec.values", "to_python": ".exec.values",
    "Module": ".module",
    "Global": ".runtime", "HostFunction": ".runtime", "Instance": ".runtime", "Memory": ".runtime",
    "Store": ".runtime", "Table": ".runtime", "WasmFunction": ".runtime",
    "F32": ".types", "F64": ".types", "I32": ".types", "I64": ".types", "FuncType": ".types",
    "GlobalType": ".types", "Limits": ".types",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'osvm_vm_wasm' has no attribute {name!r}")
    value = getattr(import_module(where, __name__), name)
    globals()[name] = value
    return value


__all__ = sorted(_WHERE)
