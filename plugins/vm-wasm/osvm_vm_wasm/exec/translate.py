"""Translation of compiled function bodies (``exec.code``) to Python generator functions.

Each wasm function becomes the source of one Python generator function that
the trampoline in ``exec.tthread`` drives. Locals are Python locals
(``l0, l1, ...``) and the operand stack, whose height is static, is a set of
Python locals named by position (``s5, s6, ...``); within a basic block the
stack is kept *symbolically* -- a ``local.get; i32.const; i32.add`` chain
becomes one Python expression, written to a variable only when needed -- so a
block compiles to a few assignments. Control flow is a ``while True`` loop
over basic blocks, dispatched on ``pc`` by a binary tree of comparisons.

Protocol with the trampoline: the generator is created as ``fn(fuel, *args)``
and returns ``(fuel, results)``. It yields ``(PREEMPT, fuel)`` when its fuel
is spent (the answer is the next budget) and ``(CALL, fuel, func, args)``
for a call (the answer is ``(fuel, results)``), so guest calls never recurse
in Python.

The cost model is the interpreter's, exactly: a block whose cost (its count
of compact instructions) fits in the remaining fuel runs at full speed with
the cost charged up front; otherwise a second, instruction-by-instruction
copy of the block runs, yielding exactly when the fuel is gone. So a
translated function is preempted at the same instruction, and charges the
same cycles, as the interpreter -- simulated time does not depend on the
executor. A trap charges exactly the instructions up to the trapping one
(the generated code keeps ``at``, the index of the last instruction that
may trap, which also locates the trap in the file).
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any

from ..errors import Trap
from ..runtime.func import WasmFunction
from . import code as K
from .numeric import BY_NAME

if TYPE_CHECKING:
    from .code import Code

PREEMPT, CALL = 0, 1

_NAME_OF = {id(fn): name for name, fn in BY_NAME.items()}
_M = {32: "0xFFFFFFFF", 64: "0xFFFFFFFFFFFFFFFF"}
_S = {32: "0x80000000", 64: "0x8000000000000000"}
_SH = {32: "31", 64: "63"}
#: expressions longer than this are written to a variable (keeps the parser's nesting shallow)
_MAX_EXPR = 400

# inline templates: (template, result is a Python bool)
_BINARY: dict[str, tuple[str, bool]] = {}
_UNARY: dict[str, tuple[str, bool]] = {}
for _w in (32, 64):
    _p, _m, _s, _sh = f"i{_w}.", _M[_w], _S[_w], _SH[_w]
    _BINARY.update({
        _p + "add": (f"(({{a}} + {{b}}) & {_m})", False),
        _p + "sub": (f"(({{a}} - {{b}}) & {_m})", False),
        _p + "mul": (f"(({{a}} * {{b}}) & {_m})", False),
        _p + "and": ("({a} & {b})", False),
        _p + "or": ("({a} | {b})", False),
        _p + "xor": ("({a} ^ {b})", False),
        _p + "shl": (f"(({{a}} << ({{b}} & {_sh})) & {_m})", False),
        _p + "shr_u": (f"({{a}} >> ({{b}} & {_sh}))", False),
        _p + "shr_s": (f"(((({{a}} ^ {_s}) - {_s}) >> ({{b}} & {_sh})) & {_m})", False),
        _p + "eq": ("({a} == {b})", True),
        _p + "ne": ("({a} != {b})", True),
        _p + "lt_u": ("({a} < {b})", True),
        _p + "gt_u": ("({a} > {b})", True),
        _p + "le_u": ("({a} <= {b})", True),
        _p + "ge_u": ("({a} >= {b})", True),
        _p + "lt_s": (f"(({{a}} ^ {_s}) < ({{b}} ^ {_s}))", True),
        _p + "gt_s": (f"(({{a}} ^ {_s}) > ({{b}} ^ {_s}))", True),
        _p + "le_s": (f"(({{a}} ^ {_s}) <= ({{b}} ^ {_s}))", True),
        _p + "ge_s": (f"(({{a}} ^ {_s}) >= ({{b}} ^ {_s}))", True),
    })
    _UNARY[_p + "eqz"] = ("({a} == 0)", True)
_UNARY.update({
    "i32.wrap_i64": ("({a} & 0xFFFFFFFF)", False),
    "i64.extend_i32_u": ("{a}", False),
    "i64.extend_i32_s": ("((({a} ^ 0x80000000) - 0x80000000) & 0xFFFFFFFFFFFFFFFF)", False),
    "i32.reinterpret_f32": ("{a}", False),
    "i64.reinterpret_f64": ("{a}", False),
    "f32.reinterpret_i32": ("{a}", False),
    "f64.reinterpret_i64": ("{a}", False),
})
_KIND_OP = {K.I32ADD: "i32.add", K.I32SUB: "i32.sub", K.I32LTS: "i32.lt_s", K.I32LTU: "i32.lt_u",
            K.I32AND: "i32.and", K.I32EQ: "i32.eq", K.I32NE: "i32.ne", K.I32GTS: "i32.gt_s",
            K.I32GTU: "i32.gt_u", K.I32MUL: "i32.mul", K.I32SHL: "i32.shl", K.I32GES: "i32.ge_s",
            K.I32LES: "i32.le_s"}


def _traps(name: str) -> bool:
    """Numeric ops that can trap must run where they stand (never deferred)."""
    return "div" in name or "rem" in name or ".trunc_" in name


class _Untranslatable(Exception):  # noqa: N818
    pass


class _Env:
    """Names the generated source refers to, bound in the factory's namespace."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self._by_id: dict[int, str] = {}

    def name(self, value: Any, prefix: str) -> str:
        key = id(value)
        found = self._by_id.get(key)
        if found is None:
            found = f"{prefix}{len(self._by_id)}"
            self._by_id[key] = found
            self.values[found] = value
        return found


def _expand(ops: list[tuple]) -> list[list[tuple]]:
    """Each compact instruction as a list of simple steps (fused forms split)."""
    out = []
    for kind, a, b in ops:
        if kind == K.LGETLGET:
            out.append([(K.LGET, a, None), (K.LGET, b, None)])
        elif kind == K.LGETCONSTBIN:
            out.append([(K.LGET, a, None), (K.CONST, b[0], None), (K.BIN, b[1], None)])
        else:
            out.append([(kind, a, b)])
    return out


def _effect(kind: int, a: Any, b: Any, func_types: list, nlocals: int) -> int:
    """Stack height change of one step (for the kinds that fall through)."""
    if kind in (K.LGET, K.CONST, K.GGET, K.MSIZE):
        return 1
    if kind in (K.LSET, K.GSET, K.DROP, K.BIN, K.BRIF, K.IFZ, K.BRIFADJ) or kind in _KIND_OP:
        return -1
    if kind in (K.LTEE, K.UN, K.LOAD, K.MGROW, K.I32EQZ):
        return 0
    if kind == K.STORE or kind == K.SELECT:
        return -2
    if kind == K.CALL:
        ft = func_types[a]
        return len(ft.results) - len(ft.params)
    if kind == K.CALLI:
        return len(a.results) - len(a.params) - 1
    raise AssertionError(kind)  # pragma: no cover


_ENDS = (K.BRIF, K.JMP, K.IFZ, K.BRADJ, K.BRIFADJ, K.BRTABLE, K.RET, K.UNREACH, K.CALL, K.CALLI)
_STOPS = (K.JMP, K.BRADJ, K.BRTABLE, K.RET, K.UNREACH)


def translate_source(code: Code, func_types: list, has_memory: bool, env: _Env, fname: str
                     ) -> tuple[str, dict[int, tuple[int, int]], int]:
    """Python source of a generator function ``fname(fuel, l0, ..., l{nparams-1})``.

    Also returns the blocks (start -> (stop, entry height)) whose instruction-by-instruction
    versions ``slow_source`` makes when first needed, and the number of stack slots.
    """
    ops = code.ops
    n = len(ops)
    nlocals = code.nparams + len(code.zeros)
    steps = _expand(ops)

    # basic blocks: leaders are the entry, branch targets, and what follows a block end
    leaders = {0}
    for i, (kind, a, _b) in enumerate(ops):
        if kind in (K.BRIF, K.JMP, K.IFZ, K.BRADJ, K.BRIFADJ):
            leaders.add(a)
        elif kind == K.BRTABLE:
            leaders.update(entry[0] for entry in a)
        if kind in _ENDS and i + 1 < n:
            leaders.add(i + 1)
    starts = sorted(x for x in leaders if x < n)
    end_of = {s: (starts[k + 1] if k + 1 < len(starts) else n) for k, s in enumerate(starts)}

    # stack heights at block entries, propagated from the entry over the control-flow graph
    height: dict[int, int] = {0: nlocals}
    work = [0]
    while work:
        start = work.pop()
        h = height[start]
        i = start
        stop = end_of[start]
        while i < stop:
            kind, a, b = ops[i]
            targets: list[tuple[int, int]] = []
            if kind in (K.JMP, K.BRIF, K.IFZ):
                after = h - (kind != K.JMP)
                targets.append((a, after))
            elif kind in (K.BRADJ, K.BRIFADJ):
                targets.append((a, b[0] + b[1]))
            elif kind == K.BRTABLE:
                for target, hh, arity in a:
                    targets.append((target, (h - 1) if hh < 0 else hh + arity))
            for target, th in targets:
                if ops[target][0] == K.RET:
                    continue                  # branches to a return are translated as returns
                if target not in height:
                    height[target] = th
                    work.append(target)
                elif height[target] != th:
                    raise _Untranslatable(f"inconsistent stack height at {target}")
            if kind in _STOPS:
                break
            for step in steps[i]:
                h += _effect(step[0], step[1], step[2], func_types, nlocals)
            i += 1
        else:
            if stop < n and stop not in height:
                height[stop] = h
                work.append(stop)
            elif stop < n and height[stop] != h:
                raise _Untranslatable(f"inconsistent stack height at {stop}")

    blocks = [s for s in starts if s in height]
    top = _max_height(blocks, end_of, height, steps, ops, func_types, nlocals)
    names = [f"l{i}" for i in range(nlocals)] + [f"s{p}" for p in range(nlocals, top)]
    body: dict[int, list[str]] = {}
    slow_blocks: dict[int, tuple[int, int]] = {}
    for start in blocks:
        fast = _Block(start, end_of[start], height[start], ops, steps, func_types, nlocals, env,
                      has_memory).emit()
        cost = end_of[start] - start
        live = ", ".join(names[:height[start]])
        everything = ", ".join(names)
        lines = [f"if fuel >= {cost}:", f"    fuel -= {cost}", f"    cost = {cost}"]
        lines += ["    " + line for line in fast]
        lines += ["else:",
                  f"    fuel, r = yield (1, fuel, SLOW{start}, ({live}{',' if live else ''}))",
                  "    if r[0] < 0:",
                  "        return fuel, r[1]",
                  "    pc = r[0]",
                  f"    {everything}{',' if len(names) == 1 else ''} = r[1]",
                  "    continue"]
        body[start] = lines
        slow_blocks[start] = (end_of[start], height[start])

    params = ", ".join(f"l{i}" for i in range(code.nparams))
    out = [f"def {fname}(fuel{', ' if params else ''}{params}):"]
    for name in names[code.nparams:nlocals]:
        out.append(f"    {name} = 0")
    out.append("    pc = 0\n    at = 0\n    cost = 0")
    if has_memory:
        out.append("    data = MEM.data")
    out.append("    try:")
    out.append("        while True:")
    out += _dispatch(blocks, body, "            ")
    out.append("    except Exception as error:")
    out.append("        error.wasm_state = (at, pc, fuel, cost)")
    out.append("        raise")
    return "\n".join(out) + "\n", slow_blocks, top


def slow_source(code: Code, func_types: list, has_memory: bool, env: _Env, fname: str, start: int,
                stop: int, height: int, top: int) -> str:
    """A generator running one block instruction by instruction, yielding when the fuel is gone.

    It takes the live variables and returns ``(next pc, all variables)``, or ``(-1, results)``
    when the function returns, so the function's generator goes on where the block left it.
    """
    nlocals = code.nparams + len(code.zeros)
    names = [f"l{i}" for i in range(nlocals)] + [f"s{p}" for p in range(nlocals, top)]
    block = _Block(start, stop, height, code.ops, _expand(code.ops), func_types, nlocals, env, has_memory,
                   exit_names=names)
    lines = block.emit()
    live = ", ".join(names[:height])
    out = [f"def {fname}(fuel{', ' if live else ''}{live}):"]
    for name in names[height:]:
        out.append(f"    {name} = 0")
    out.append(f"    pc = {start}\n    at = {start}\n    cost = 0")
    if has_memory:
        out.append("    data = MEM.data")
    out.append("    try:")
    out += ["        " + line for line in lines]
    out.append("    except Exception as error:")
    out.append("        error.wasm_state = (at, pc, fuel, cost)")
    out.append("        raise")
    return "\n".join(out) + "\n"


def _max_height(blocks: list[int], end_of: dict[int, int], height: dict[int, int], steps: list, ops: list,
                func_types: list, nlocals: int) -> int:
    """The highest operand-stack position any block reaches (slot variables to declare)."""
    top = nlocals
    for start in blocks:
        h = height[start]
        for i in range(start, end_of[start]):
            if ops[i][0] in _STOPS:
                break
            for step in steps[i]:
                if step[0] in (K.CALL, K.CALLI):
                    ft = func_types[step[1]] if step[0] == K.CALL else step[1]
                    top = max(top, h + len(ft.results))
                h += _effect(step[0], step[1], step[2], func_types, nlocals)
                top = max(top, h)
    return top + 1


def _dispatch(blocks: list[int], body: dict[int, list[str]], indent: str) -> list[str]:
    """A binary tree of ``pc`` comparisons over the blocks."""
    if len(blocks) == 1:
        return [indent + line for line in body[blocks[0]]]
    mid = len(blocks) // 2
    out = [f"{indent}if pc < {blocks[mid]}:"]
    out += _dispatch(blocks[:mid], body, indent + "    ")
    out.append(f"{indent}else:")
    out += _dispatch(blocks[mid:], body, indent + "    ")
    return out


class _Block:
    """Code generation for one basic block, fast (charged up front) or slow (per instruction)."""

    def __init__(self, start: int, stop: int, height: int, ops: list, steps: list, func_types: list,
                 nlocals: int, env: _Env, has_memory: bool, exit_names: list[str] | None = None) -> None:
        self.start, self.stop, self.ops, self.steps = start, stop, ops, steps
        self.func_types, self.nlocals, self.env = func_types, nlocals, env
        self.has_memory = has_memory
        self.slow = exit_names is not None       # a slow block: its own generator function
        self.exit_names = exit_names
        self.lines: list[str] = []
        # entries: [expr, refs, is_bool]; position of entry k is nlocals + k
        self.stack: list[list[Any]] = [[f"s{p}", {f"s{p}"}, False] for p in range(nlocals, height)]

    # -- the symbolic stack -----------------------------------------------------
    def push(self, expr: str, refs: set[str], is_bool: bool = False) -> None:
        self.stack.append([expr, refs, is_bool])
        if len(expr) > _MAX_EXPR:
            self.materialize(len(self.stack) - 1)

    def pop(self) -> list[Any]:
        return self.stack.pop()

    def pos(self, k: int) -> int:
        return self.nlocals + k

    @staticmethod
    def as_int(entry: list[Any]) -> str:
        return f"(1 if {entry[0]} else 0)" if entry[2] else entry[0]

    def materialize(self, k: int) -> None:
        entry = self.stack[k]
        name = f"s{self.pos(k)}"
        if entry[0] == name:
            return
        self.write(name, exclude=k)
        self.lines.append(f"{name} = {self.as_int(entry)}")
        self.stack[k] = [name, {name}, False]

    def write(self, name: str, exclude: int | None = None) -> None:
        """``name`` is about to change: pending expressions that read it are computed first."""
        for k in range(len(self.stack) - 1, -1, -1):
            if k != exclude and name in self.stack[k][1] and self.stack[k][0] != f"s{self.pos(k)}":
                self.materialize(k)

    def flush(self) -> None:
        """Every entry into its own slot variable (block boundaries, calls)."""
        names, exprs = [], []
        for k, entry in enumerate(self.stack):
            name = f"s{self.pos(k)}"
            if entry[0] != name:
                names.append(name)
                exprs.append(self.as_int(entry))
                self.stack[k] = [name, {name}, False]
        if names:
            self.lines.append(f"{', '.join(names)} = {', '.join(exprs)}")

    def value_list(self, count: int) -> list[str]:
        return [self.as_int(e) for e in self.stack[len(self.stack) - count:]] if count else []

    def goto(self, target: int, indent: str = "") -> list[str]:
        if self.ops[target][0] == K.RET:
            return self.ret(self.ops[target][1], indent)
        if self.slow:
            names = self.exit_names
            return [f"{indent}return fuel, ({target}, ({', '.join(names)}{',' if len(names) == 1 else ''}))"]
        return [f"{indent}pc = {target}", f"{indent}continue"]

    def ret(self, arity: int, indent: str = "") -> list[str]:
        values = self.value_list(arity)
        inner = ", ".join(values) + ("," if len(values) == 1 else "")
        if self.slow:
            return [f"{indent}return fuel, (-1, ({inner}))"]
        return [f"{indent}return fuel, ({inner})"]

    # -- emission ---------------------------------------------------------------
    def emit(self) -> list[str]:
        i = self.start
        while i < self.stop:
            if self.slow:
                # the trampoline resumes a preempted generator only with fuel >= 1
                self.lines.append("if fuel <= 0:")
                self.lines.append("    fuel = yield (0, fuel)")
                self.lines.append("fuel -= 1")
            done = self.instruction(i)
            i += 1
            if done:
                return self.lines
        self.flush()
        self.lines += self.goto(self.stop) if self.stop < len(self.ops) else ["raise AssertionError('fell off')"]
        return self.lines

    def instruction(self, i: int) -> bool:
        """Emit one compact instruction; True when it ended the block itself."""
        kind, a, b = self.ops[i]
        env = self.env
        if kind == K.RET:
            self.lines += self.ret(a)
            return True
        if kind == K.UNREACH:
            self.lines += [f"at = {i}", "raise Trap('unreachable')"]
            return True
        if kind in (K.BRIF, K.IFZ):
            cond = self.pop()
            self.flush()
            test = cond[0] if kind == K.BRIF else f"not {cond[0]}"
            self.lines.append(f"if {test}:")
            self.lines += self.goto(a, "    ")
            return False
        if kind == K.JMP:
            self.flush()
            self.lines += self.goto(a)
            return True
        if kind in (K.BRADJ, K.BRIFADJ):
            cond = self.pop() if kind == K.BRIFADJ else None
            self.flush()
            height, arity = b
            moves = self.move(height, arity)
            if cond is None:
                if self.ops[a][0] == K.RET:
                    self.lines += self.ret(self.ops[a][1])
                else:
                    self.lines += moves + self.goto(a)
                return True
            self.lines.append(f"if {cond[0]}:")
            if self.ops[a][0] == K.RET:
                self.lines += self.ret(self.ops[a][1], "    ")
            else:
                self.lines += ["    " + m for m in moves] + self.goto(a, "    ")
            return False
        if kind == K.BRTABLE:
            index = self.pop()
            self.flush()
            cases: dict[tuple, int] = {}
            order: list[int] = []
            for entry in a:
                key = tuple(entry)
                if key not in cases:
                    cases[key] = len(cases)
                order.append(cases[key])
            table = env.name(tuple(order[:-1]), "BT")
            count = len(a) - 1
            self.lines.append(f"c = {index[0]}")
            self.lines.append(f"c = {table}[c] if c < {count} else {order[-1]}")
            for key, number in cases.items():
                target, height, arity = key
                self.lines.append(f"{'if' if number == 0 else 'elif'} c == {number}:")
                if self.ops[target][0] == K.RET:
                    self.lines += self.ret(self.ops[target][1], "    ")
                elif height < 0:
                    self.lines += self.goto(target, "    ")
                else:
                    self.lines += ["    " + m for m in self.move(height, arity)] + self.goto(target, "    ")
            return True
        if kind == K.CALL or kind == K.CALLI:
            if kind == K.CALL:
                ft = self.func_types[a]
                index = None
            else:
                ft = a
                index = self.pop()
            self.flush()
            nargs = len(ft.params)
            args = self.value_list(nargs)
            tuple_text = "(" + ", ".join(args) + ("," if nargs == 1 else "") + ")"
            self.lines.append(f"at = {i}")
            if kind == K.CALL:
                target = f"FUNCS[{a}]"
            else:
                self.lines.append(f"f = CALLI(TABLE, {index[0]}, {env.name(ft, 'FT')})")
                target = "f"
            del self.stack[len(self.stack) - nargs:]
            if ft.results:
                self.lines.append(f"fuel, r = yield (1, fuel, {target}, {tuple_text})")
                pos = self.pos(len(self.stack))
                self.lines.append(f"s{pos} = r[0]")
                self.stack.append([f"s{pos}", {f"s{pos}"}, False])
            else:
                self.lines.append(f"fuel, _ = yield (1, fuel, {target}, {tuple_text})")
            if self.has_memory:
                self.lines.append("data = MEM.data")
            return False
        for step in self.steps[i]:
            self.step(i, *step)
        return False

    def move(self, height: int, arity: int) -> list[str]:
        """Assignments that cut the stack to ``height`` keeping the top ``arity`` values."""
        if not arity:
            return []
        top = len(self.stack) + self.nlocals
        sources = [f"s{p}" for p in range(top - arity, top)]
        targets = [f"s{p}" for p in range(height, height + arity)]
        if sources == targets:
            return []
        return [f"{', '.join(targets)} = {', '.join(sources)}"]

    def step(self, i: int, kind: int, a: Any, b: Any) -> None:
        env = self.env
        if kind == K.LGET:
            self.push(f"l{a}", {f"l{a}"})
        elif kind == K.CONST:
            self.push(str(a), set())
        elif kind == K.LSET or kind == K.LTEE:
            value = self.pop()
            name = f"l{a}"
            self.write(name)
            self.lines.append(f"{name} = {self.as_int(value)}")
            if kind == K.LTEE:
                self.push(name, {name})
        elif kind in _KIND_OP or kind == K.BIN:
            y = self.pop()
            x = self.pop()
            name = _KIND_OP[kind] if kind != K.BIN else _NAME_OF.get(id(a), "")
            template = _BINARY.get(name)
            refs = x[1] | y[1]
            if template is not None:
                self.push(template[0].format(a=self.as_int(x), b=self.as_int(y)), refs, template[1])
            else:
                fn = a if kind == K.BIN else BY_NAME[name]
                self.push(f"{env.name(fn, 'N')}({self.as_int(x)}, {self.as_int(y)})", refs)
                if _traps(name):
                    self.lines.append(f"at = {i}")
                    self.materialize(len(self.stack) - 1)
        elif kind == K.UN or kind == K.I32EQZ:
            x = self.pop()
            name = "i32.eqz" if kind == K.I32EQZ else _NAME_OF.get(id(a), "")
            if name.endswith(".eqz") and x[2]:
                self.push(f"(not {x[0]})", x[1], True)
                return
            template = _UNARY.get(name)
            if template is not None:
                self.push(template[0].format(a=self.as_int(x)), x[1], template[1])
            else:
                fn = a if kind == K.UN else BY_NAME[name]
                self.push(f"{env.name(fn, 'N')}({self.as_int(x)})", x[1])
                if _traps(name):
                    self.lines.append(f"at = {i}")
                    self.materialize(len(self.stack) - 1)
        elif kind == K.LOAD:
            address = self.pop()
            unpack, size, mask = b
            signed = unpack(b"\xff" * 8, 0)[0] < 0
            ea = self.as_int(address) if not a else f"{self.as_int(address)} + {a}"
            expr = f"{env.name(unpack, 'U')}(data, {ea})[0]"
            if signed:
                expr = f"({expr} & {mask:#x})"
            self.lines.append(f"at = {i}")
            self.push(expr, address[1] | {"data"})
            self.materialize(len(self.stack) - 1)
        elif kind == K.STORE:
            value = self.pop()
            address = self.pop()
            pack, size, mask = b
            ea = self.as_int(address) if not a else f"{self.as_int(address)} + {a}"
            v = self.as_int(value) if size == 8 else f"{self.as_int(value)} & {mask:#x}"
            self.lines.append(f"at = {i}")
            self.lines.append(f"{env.name(pack, 'P')}(data, {ea}, {v})")
        elif kind == K.GGET:
            self.push(f"G{a}.value", {f"G{a}"})
        elif kind == K.GSET:
            value = self.pop()
            self.write(f"G{a}")
            self.lines.append(f"G{a}.value = {self.as_int(value)}")
        elif kind == K.DROP:
            self.pop()
        elif kind == K.SELECT:
            c = self.pop()
            y = self.pop()
            x = self.pop()
            self.push(f"({self.as_int(x)} if {c[0]} else {self.as_int(y)})", x[1] | y[1] | c[1])
        elif kind == K.MSIZE:
            self.push("(len(data) >> 16)", {"data"})
        elif kind == K.MGROW:
            delta = self.pop()
            self.write("data")
            self.push(f"(MEM.grow({self.as_int(delta)}) & 0xFFFFFFFF)", delta[1] | {"MEM"})
            self.materialize(len(self.stack) - 1)
            self.lines.append("data = MEM.data")
        else:  # pragma: no cover - the compiler emits nothing else
            raise AssertionError(f"cannot translate kind {kind}")


def _call_indirect(table: list, index: int, expected: Any) -> Any:
    if index >= len(table):
        raise Trap("undefined element")
    f = table[index]
    if f is None:
        raise Trap("uninitialized element")
    if f.type != expected:
        raise Trap("indirect call type mismatch")
    return f


class SlowBlock:
    """One block of a function, run instruction by instruction (built on first use)."""

    __slots__ = ("func", "start", "stop", "height", "top", "namespace", "_generator")

    def __init__(self, func: WasmFunction, start: int, stop: int, height: int, top: int,
                 namespace: dict[str, Any]) -> None:
        self.func, self.start, self.stop, self.height, self.top = func, start, stop, height, top
        self.namespace = namespace
        self._generator: Any = None

    def generator(self) -> Any:
        fn = self._generator
        if fn is None:
            f = self.func
            cache = f.code.translation[2]
            source = cache.get(self.start)
            if source is None:
                env = _Env()
                inst = f.instance
                source = cache[self.start] = (slow_source(
                    f.code.compiled, [g.type for g in inst.funcs], inst.memory is not None, env, "slow",
                    self.start, self.stop, self.height, self.top), env.values)
            namespace = dict(self.namespace)
            namespace.update(source[1])
            exec(compile(source[0], f"<wasm func {f.index} block {self.start}>", "exec"), namespace)
            fn = self._generator = namespace["slow"]
        return fn


def translated(f: WasmFunction) -> Any:
    """The generator function of ``f`` (translated on first use, cached on ``f``)."""
    fn = f.translated
    if fn is not None:
        return fn
    from .machine import compiled

    code = compiled(f)
    inst = f.instance
    cached = f.code.translation
    if cached is None:
        env = _Env()
        source, slow_blocks, top = translate_source(code, [g.type for g in inst.funcs], inst.memory is not None,
                                                    env, "guest")
        cached = f.code.translation = (source, env.values, {}, slow_blocks, top)
    source, values, _slow_sources, slow_blocks, top = cached
    namespace: dict[str, Any] = {"Trap": Trap, "CALLI": _call_indirect, "FUNCS": inst.funcs, "MEM": inst.memory,
                                 "TABLE": inst.tables[0].elements if inst.tables else []}
    for k, g in enumerate(inst.globals):
        namespace[f"G{k}"] = g
    shared = dict(namespace)
    namespace.update(values)
    for start, (stop, height) in slow_blocks.items():
        namespace[f"SLOW{start}"] = SlowBlock(f, start, stop, height, top, shared)
    exec(compile(source, f"<wasm func {f.index}>", "exec"), namespace)  # noqa: S102
    fn = f.translated = namespace["guest"]
    return fn


__all__ = ["CALL", "PREEMPT", "SlowBlock", "slow_source", "translate_source", "translated", "struct"]
