"""Runtime objects: memories, tables, globals, functions, instances and the store."""

from .func import FuncInstance, HostFunction, WasmFunction
from .global_ import Global
from .instance import Extern, Instance, instantiate
from .memory import Memory
from .store import Store
from .table import Table

__all__ = ["Extern", "FuncInstance", "Global", "HostFunction", "Instance", "Memory", "Store", "Table",
           "WasmFunction", "instantiate"]
