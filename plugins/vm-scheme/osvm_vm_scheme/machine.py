"""The step machine: compiled code (nodes), continuation frames, procedures, and the run loop.

The compiler (:mod:`.compiler`) turns each expression into either a *simple* part — a
Python function ``ev(env)`` that evaluates it directly, used for expressions that cannot
call a Scheme procedure (constants, variables, ``lambda``, calls of the standard pure
primitives on simple arguments, ``if``/``and``/``or``/``let`` made of simple parts) — or a
*node*, which the machine executes one step at a time. The machine's registers live in a
:class:`Context`: ``node`` (what to execute next; ``None`` means "return ``val`` to the
continuation"), ``env`` (the current frame of local variables: a list whose slot 0 is the
enclosing frame), ``val``, and ``k`` (the continuation: a linked list of :class:`Frame`
objects, never the Python stack). Calls in tail position push no frame, so tail calls
are proper; ``call/cc`` captures ``k`` in O(1), and frames are never mutated, so
continuations can be re-entered.

Cost model: a step costs ``node.cost`` cycles (1 plus the number of simple sub-expressions
it evaluates inline, counted at compile time); returning a value to a continuation frame
costs 1. Primitives cost nothing more, whatever their arguments.
"""

from __future__ import annotations

from typing import Any

from .values import (
    UNSPECIFIED,
    Cell,
    ErrorObject,
    SchemeError,
    Values,
    error,
    from_list,
)

# ---------------------------------------------------------------- procedures


class Procedure:
    __slots__ = ()

    def write_repr(self) -> str:
        name = getattr(self, "name", None)
        return f"#<procedure {name}>" if name else "#<procedure>"


class Primitive(Procedure):
    """A procedure written in Python. ``pure`` ones never call back into Scheme, so the compiler
    may call them directly inside simple expressions."""

    __slots__ = ("fn", "name", "min", "max", "pure", "fixed")

    def __init__(self, fn: Any, name: str, min_args: int, max_args: int | None, pure: bool = True,
                 fixed: dict[int, Any] | None = None) -> None:
        self.fn = fn
        self.name = name
        self.min = min_args
        self.max = max_args
        self.pure = pure
        self.fixed = fixed     # arity -> a faster function for calls with that many arguments

    def accepts(self, n: int) -> bool:
        return n >= self.min and (self.max is None or n <= self.max)


class Control(Procedure):
    """A procedure that drives the machine itself: ``fn(m, args)`` sets the registers."""

    __slots__ = ("fn", "name", "min", "max")

    def __init__(self, fn: Any, name: str, min_args: int, max_args: int | None) -> None:
        self.fn = fn
        self.name = name
        self.min = min_args
        self.max = max_args


class Lambda:
    """Compiled code of one lambda: ``nreq`` parameters (+ a rest list), ``pad`` extra slots."""

    __slots__ = ("nreq", "rest", "pad", "body", "name", "src")

    def __init__(self, nreq: int, rest: bool, pad: int, body: Any, name: str | None, src: Any) -> None:
        self.nreq = nreq
        self.rest = rest
        self.pad = [UNBOUND_SLOT] * pad if pad else None
        self.body = body
        self.name = name
        self.src = src


class Closure(Procedure):
    __slots__ = ("code", "env")

    def __init__(self, code: Lambda, env: Any) -> None:
        self.code = code
        self.env = env

    @property
    def name(self) -> str | None:
        return self.code.name


class CaseLambda(Procedure):
    __slots__ = ("clauses", "name")

    def __init__(self, clauses: tuple[Closure, ...], name: str | None) -> None:
        self.clauses = clauses
        self.name = name


class Continuation(Procedure):
    __slots__ = ("k", "winders", "handlers", "params")

    def __init__(self, k: Any, winders: Any, handlers: Any, params: Any) -> None:
        self.k = k
        self.winders = winders
        self.handlers = handlers
        self.params = params

    def write_repr(self) -> str:
        return "#<continuation>"


class Parameter(Procedure):
    __slots__ = ("value", "converter", "name")

    def __init__(self, value: Any, converter: Any, name: str | None = None) -> None:
        self.value = value
        self.converter = converter
        self.name = name

    def write_repr(self) -> str:
        return "#<parameter>"


# ---------------------------------------------------------------- dynamic state


class Wind:
    """One active dynamic-wind: its before/after thunks and the dynamic state around it."""

    __slots__ = ("before", "after", "next", "depth", "handlers", "params")

    def __init__(self, before: Any, after: Any, nxt: Wind | None, handlers: Any, params: Any) -> None:
        self.before = before
        self.after = after
        self.next = nxt
        self.depth = 1 if nxt is None else nxt.depth + 1
        self.handlers = handlers
        self.params = params


class HandlerNode:
    __slots__ = ("proc", "next")

    def __init__(self, proc: Any, nxt: HandlerNode | None) -> None:
        self.proc = proc
        self.next = nxt


class ParamBinding:
    __slots__ = ("param", "value", "next")

    def __init__(self, param: Parameter, value: Any, nxt: ParamBinding | None) -> None:
        self.param = param
        self.value = value
        self.next = nxt


def param_value(m: Context, p: Parameter) -> Any:
    b = m.params
    while b is not None:
        if b.param is p:
            return b.value
        b = b.next
    return p.value


class _Unbound:
    __slots__ = ()

    def __repr__(self) -> str:
        return "#<unbound>"


UNBOUND_SLOT = _Unbound()

# ---------------------------------------------------------------- the machine's exceptions


class KernelRequest(Exception):
    """Stop the run with a kernel Call; ``reply(m, value)`` handles the answer, ``failed(m, error)``
    an error (default: raise it in Scheme)."""

    def __init__(self, binding: Any, args: tuple[Any, ...], reply: Any = None, failed: Any = None) -> None:
        super().__init__(binding)
        self.binding = binding
        self.args = args
        self.reply = reply
        self.failed = failed


class Finished(Exception):
    def __init__(self, value: Any) -> None:
        super().__init__(value)
        self.value = value


class ExitRequest(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class Uncaught(Exception):
    """A raise with no handler left: the task ends with a report."""

    def __init__(self, payload: Any, k: Any, src: Any, env: Any = None) -> None:
        super().__init__(payload)
        self.payload = payload
        self.k = k
        self.src = src
        self.env = env


# ---------------------------------------------------------------- the context (registers)


class Context:
    """One frame of a task in this VM: the machine's registers and dynamic state."""

    __slots__ = ("node", "env", "val", "k", "winders", "handlers", "params", "out", "flush",
                 "max_depth", "depth_limit", "vm", "reply", "failed", "stashed", "finish", "entry", "done")

    def __init__(self, vm: Any, node: Any, k: Any, *, max_depth: int = 100_000) -> None:
        self.vm = vm
        self.node = node
        self.env = None
        self.val: Any = UNSPECIFIED
        self.k = k
        self.winders: Wind | None = None
        self.handlers: HandlerNode | None = None
        self.params: ParamBinding | None = None
        self.out: list[str] = []
        self.flush = False
        self.max_depth = max_depth
        self.depth_limit = max_depth
        self.reply: Any = None
        self.failed: Any = None
        self.stashed: Any = None
        self.finish: Any = None
        self.entry: Any = None
        self.done = False


class Running:
    """The context being run (primitives that need it, such as console output, look here)."""

    ctx: Context | None = None


# ---------------------------------------------------------------- frames


class Frame:
    __slots__ = ("next", "depth")

    def where(self) -> Any:
        return None


class HaltFrame(Frame):
    """The bottom of a context's continuation: the value is the frame's result."""

    __slots__ = ()

    def __init__(self) -> None:
        self.next = None
        self.depth = 0

    def resume(self, m: Context) -> None:
        raise Finished(m.val)


class IfFrame(Frame):
    __slots__ = ("node", "env")

    def __init__(self, node: Any, env: Any, nxt: Frame) -> None:
        self.node = node
        self.env = env
        self.next = nxt
        self.depth = nxt.depth + 1

    def resume(self, m: Context) -> None:
        m.env = self.env
        m.node = self.node.then if m.val is not False else self.node.other

    def where(self) -> Any:
        return self.node.src


class SeqFrame(Frame):
    __slots__ = ("node", "env")

    def __init__(self, node: Any, env: Any, nxt: Frame) -> None:
        self.node = node
        self.env = env
        self.next = nxt
        self.depth = nxt.depth + 1

    def resume(self, m: Context) -> None:
        m.env = self.env
        m.node = self.node.rest

    def where(self) -> Any:
        return self.node.first.src      # where the sequence is: at its part now running


class GatherFrame(Frame):
    """Waiting for part ``i`` of a node whose parts are evaluated left to right."""

    __slots__ = ("node", "i", "vals", "env")

    def __init__(self, node: Any, i: int, vals: tuple[Any, ...], env: Any, nxt: Frame) -> None:
        self.node = node
        self.i = i
        self.vals = vals
        self.env = env
        self.next = nxt
        self.depth = nxt.depth + 1

    def resume(self, m: Context) -> None:
        gather(m, self.node, self.i + 1, self.vals + (m.val,), self.env)

    def where(self) -> Any:
        return self.node.src


class SetFrame(Frame):
    __slots__ = ("node", "env")

    def __init__(self, node: Any, env: Any, nxt: Frame) -> None:
        self.node = node
        self.env = env
        self.next = nxt
        self.depth = nxt.depth + 1

    def resume(self, m: Context) -> None:
        self.node.setter(self.env, m.val)
        m.val = UNSPECIFIED

    def where(self) -> Any:
        return self.node.src


class NativeFrame(Frame):
    """A frame of a control primitive: ``fn(m, data)`` runs when the value arrives."""

    __slots__ = ("fn", "data", "name")

    def __init__(self, fn: Any, data: Any, name: str, nxt: Frame) -> None:
        self.fn = fn
        self.data = data
        self.name = name
        self.next = nxt
        self.depth = nxt.depth + 1

    def resume(self, m: Context) -> None:
        self.fn(m, self.data)

    def where(self) -> Any:
        return (self.name, None, None)


# ---------------------------------------------------------------- nodes


class Node:
    __slots__ = ("cost", "src")


class Ret(Node):
    """A simple expression in a position that needs a node: its value goes to the continuation."""

    __slots__ = ("ev",)

    def __init__(self, ev: Any, cost: int, src: Any) -> None:
        self.ev = ev
        self.cost = cost
        self.src = src

    def exec(self, m: Context) -> None:
        m.val = self.ev(m.env)
        m.node = None


class If(Node):
    """``if`` with a simple test."""

    __slots__ = ("test", "then", "other")

    def __init__(self, test: Any, then: Node, other: Node, cost: int, src: Any) -> None:
        self.test = test
        self.then = then
        self.other = other
        self.cost = cost
        self.src = src

    def exec(self, m: Context) -> None:
        env = m.env
        branch = self.then if self.test(env) is not False else self.other
        if type(branch) is Ret:          # a simple branch: its value at once (one step in all)
            m.val = branch.ev(env)
            m.node = None
        else:
            m.node = branch


class IfK(Node):
    """``if`` whose test needs steps of its own."""

    __slots__ = ("test", "then", "other")

    def __init__(self, test: Node, then: Node, other: Node, src: Any) -> None:
        self.test = test
        self.then = then
        self.other = other
        self.cost = 1
        self.src = src

    def exec(self, m: Context) -> None:
        m.k = IfFrame(self, m.env, m.k)
        m.node = self.test


class Seq(Node):
    """Run the simple ``pre`` part (or None), then ``first`` (a node), then ``rest`` (a node or None)."""

    __slots__ = ("pre", "first", "rest")

    def __init__(self, pre: Any, first: Node, rest: Node | None, cost: int, src: Any) -> None:
        self.pre = pre
        self.first = first
        self.rest = rest
        self.cost = cost
        self.src = src

    def exec(self, m: Context) -> None:
        env = m.env
        if self.pre is not None:
            self.pre(env)
        if self.rest is not None:
            m.k = SeqFrame(self, env, m.k)
        m.node = self.first


def gather(m: Context, node: Any, i: int, vals: tuple[Any, ...], env: Any) -> None:
    """Evaluate the parts of ``node`` from ``i`` on, pushing a frame at each complex one."""
    parts = node.parts
    complex_ = node.complex
    n = len(parts)
    while i < n:
        if complex_[i]:
            m.k = GatherFrame(node, i, vals, env, m.k)
            m.env = env
            m.node = parts[i]
            return
        vals = vals + (parts[i](env),)
        i += 1
    node.finish(m, vals, env)


class AppK(Node):
    """A call where some of the operator and operands need steps (evaluated left to right)."""

    __slots__ = ("parts", "complex")

    def __init__(self, parts: tuple[Any, ...], complex_: tuple[bool, ...], cost: int, src: Any) -> None:
        self.parts = parts
        self.complex = complex_
        self.cost = cost
        self.src = src

    def exec(self, m: Context) -> None:
        gather(m, self, 0, (), m.env)

    def finish(self, m: Context, vals: tuple[Any, ...], env: Any) -> None:
        apply_procedure(m, vals[0], list(vals[1:]))


class App(Node):
    """A call whose operator and operands are all simple: ``ev(env)`` gives ``[f, arg, ...]``,
    which becomes the callee's frame when ``f`` is a closure of that arity."""

    __slots__ = ("ev", "nargs")

    def __init__(self, ev: Any, nargs: int, cost: int, src: Any) -> None:
        self.ev = ev
        self.nargs = nargs
        self.cost = cost
        self.src = src

    def exec(self, m: Context) -> None:
        vals = self.ev(m.env)
        f = vals[0]
        if type(f) is Closure:
            code = f.code
            if code.nreq == self.nargs and not code.rest:
                vals[0] = f.env
                if code.pad:
                    vals.extend(code.pad)
                m.env = vals
                m.node = code.body
                if m.k.depth > m.max_depth:
                    too_deep(m)
                return
            del vals[0]
            enter(m, f, vals)
            return
        del vals[0]
        apply_procedure(m, f, vals)


class PrimAppK(Node):
    """A call of a known pure primitive where some operands need steps."""

    __slots__ = ("fn", "parts", "complex")

    def __init__(self, fn: Any, parts: tuple[Any, ...], complex_: tuple[bool, ...], cost: int, src: Any) -> None:
        self.fn = fn
        self.parts = parts
        self.complex = complex_
        self.cost = cost
        self.src = src

    def exec(self, m: Context) -> None:
        gather(m, self, 0, (), m.env)

    def finish(self, m: Context, vals: tuple[Any, ...], env: Any) -> None:
        m.val = self.fn(*vals)
        m.node = None


class Prim2K(Node):
    """A call of a known pure primitive on two operands that both need steps (``(+ (f a) (f b))``)."""

    __slots__ = ("fn", "a", "b")

    def __init__(self, fn: Any, a: Node, b: Node, cost: int, src: Any) -> None:
        self.fn = fn
        self.a = a
        self.b = b
        self.cost = cost
        self.src = src

    def exec(self, m: Context) -> None:
        m.k = FirstOfTwoFrame(self, m.env, m.k)
        m.node = self.a


class FirstOfTwoFrame(Frame):
    __slots__ = ("node", "env")

    def __init__(self, node: Prim2K, env: Any, nxt: Frame) -> None:
        self.node = node
        self.env = env
        self.next = nxt
        self.depth = nxt.depth + 1

    def resume(self, m: Context) -> None:
        node = self.node
        m.k = SecondOfTwoFrame(node, m.val, m.k)
        m.env = self.env
        m.node = node.b

    def where(self) -> Any:
        return self.node.src


class SecondOfTwoFrame(Frame):
    __slots__ = ("node", "first")

    def __init__(self, node: Prim2K, first: Any, nxt: Frame) -> None:
        self.node = node
        self.first = first
        self.next = nxt
        self.depth = nxt.depth + 1

    def resume(self, m: Context) -> None:
        m.val = self.node.fn(self.first, m.val)

    def where(self) -> Any:
        return self.node.src


class Let(Node):
    """``let`` whose initialisers are simple: ``ev(env)`` gives the new frame ``[env, v1, ...]``."""

    __slots__ = ("ev", "body", "pad")

    def __init__(self, ev: Any, body: Node, pad: int, cost: int, src: Any) -> None:
        self.ev = ev
        self.body = body
        self.pad = [UNBOUND_SLOT] * pad if pad else None
        self.cost = cost
        self.src = src

    def exec(self, m: Context) -> None:
        new = self.ev(m.env)
        if self.pad:
            new.extend(self.pad)
        m.env = new
        m.node = self.body


class LetK(Node):
    """``let`` with initialisers that need steps."""

    __slots__ = ("parts", "complex", "body", "pad")

    def __init__(self, parts: tuple[Any, ...], complex_: tuple[bool, ...], body: Node, pad: int, cost: int,
                 src: Any) -> None:
        self.parts = parts
        self.complex = complex_
        self.body = body
        self.pad = [UNBOUND_SLOT] * pad if pad else None
        self.cost = cost
        self.src = src

    def exec(self, m: Context) -> None:
        gather(m, self, 0, (), m.env)

    def finish(self, m: Context, vals: tuple[Any, ...], env: Any) -> None:
        new = [env, *vals]
        if self.pad:
            new.extend(self.pad)
        m.env = new
        m.node = self.body


class Or(Node):
    """``or`` whose first part is simple: its value if true, else ``rest``."""

    __slots__ = ("first", "rest")

    def __init__(self, first: Any, rest: Node, cost: int, src: Any) -> None:
        self.first = first
        self.rest = rest
        self.cost = cost
        self.src = src

    def exec(self, m: Context) -> None:
        v = self.first(m.env)
        if v is not False:
            m.val = v
            m.node = None
        else:
            m.node = self.rest


class OrK(Node):
    """``or`` whose first part needs steps."""

    __slots__ = ("first", "rest")

    def __init__(self, first: Node, rest: Node, src: Any) -> None:
        self.first = first
        self.rest = rest
        self.cost = 1
        self.src = src

    def exec(self, m: Context) -> None:
        m.k = OrFrame(self, m.env, m.k)
        m.node = self.first


class OrFrame(Frame):
    __slots__ = ("node", "env")

    def __init__(self, node: Any, env: Any, nxt: Frame) -> None:
        self.node = node
        self.env = env
        self.next = nxt
        self.depth = nxt.depth + 1

    def resume(self, m: Context) -> None:
        if m.val is False:
            m.env = self.env
            m.node = self.node.rest

    def where(self) -> Any:
        return self.node.src


class Frame0(Node):
    """A new frame of ``size`` unbound slots (letrec, bodies with definitions), then ``body``."""

    __slots__ = ("size", "body")

    def __init__(self, size: int, body: Node, src: Any) -> None:
        self.size = size
        self.body = body
        self.cost = 1
        self.src = src

    def exec(self, m: Context) -> None:
        m.env = [m.env] + [UNBOUND_SLOT] * self.size
        m.node = self.body


class SetK(Node):
    """Assignment or definition whose value needs steps; ``setter(env, value)`` stores it."""

    __slots__ = ("setter", "value")

    def __init__(self, setter: Any, value: Node, src: Any) -> None:
        self.setter = setter
        self.value = value
        self.cost = 1
        self.src = src

    def exec(self, m: Context) -> None:
        m.k = SetFrame(self, m.env, m.k)
        m.node = self.value


class RaiseNode(Node):
    """Raise ``payload`` (non-continuably) where the machine stopped; made for errors."""

    __slots__ = ("payload",)

    def __init__(self, payload: Any, src: Any = None) -> None:
        self.payload = payload
        self.cost = 1
        self.src = src

    def exec(self, m: Context) -> None:
        do_raise(m, self.payload, False, self.src)


class Thunk(Node):
    """Run ``fn(m)`` (used to start control operations as a step)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Any, src: Any = None) -> None:
        self.fn = fn
        self.cost = 1
        self.src = src

    def exec(self, m: Context) -> None:
        self.fn(m)


# ---------------------------------------------------------------- applying procedures


#: Frames a handler may add above the limit to handle a "continuation too deep" error.
DEPTH_GRACE = 2_000


def too_deep(m: Context) -> None:
    limit = m.depth_limit
    m.node = None
    if m.max_depth > limit:       # already over the limit while handling it: give up
        raise Uncaught(ErrorObject(f"continuation too deep: more than {limit} frames, even for the "
                                   f"exception handler", [], kind="memory"), m.k, None)
    m.max_depth = limit + DEPTH_GRACE
    raise error(f"continuation too deep: more than {limit} frames (the VM's memory limit; "
                f"a deep non-tail recursion?)", kind="memory")


def enter(m: Context, f: Closure, args: list[Any]) -> None:
    code = f.code
    n = len(args)
    nreq = code.nreq
    if n == nreq and not code.rest:
        env = [f.env, *args]
    elif code.rest and n >= nreq:
        env = [f.env, *args[:nreq], from_list(args[nreq:])]
    else:
        raise arity_error(code.name, n, nreq, code.rest)
    if code.pad:
        env.extend(code.pad)
    m.env = env
    m.node = code.body
    if m.k.depth > m.max_depth:
        too_deep(m)


def arity_error(name: str | None, n: int, nreq: int, rest: bool) -> SchemeError:
    wanted = f"at least {nreq}" if rest else f"{nreq}"
    return SchemeError(ErrorObject(f"{name or 'anonymous procedure'}: wrong number of arguments: "
                                   f"{n} given, {wanted} expected", (), kind="arity"))


def apply_procedure(m: Context, f: Any, args: list[Any]) -> None:
    t = type(f)
    if t is Closure:
        enter(m, f, args)
    elif t is Primitive:
        try:
            m.val = f.fn(*args)
        except TypeError:
            if not f.accepts(len(args)):
                raise primitive_arity_error(f, len(args)) from None
            raise
        m.node = None
    elif t is Control:
        n = len(args)
        if n < f.min or (f.max is not None and n > f.max):
            raise primitive_arity_error(f, n)
        f.fn(m, args)
    elif t is Continuation:
        throw(m, f, args)
    elif t is CaseLambda:
        n = len(args)
        for clause in f.clauses:
            code = clause.code
            if n == code.nreq or (code.rest and n >= code.nreq):
                enter(m, clause, args)
                return
        raise SchemeError(ErrorObject(f"{f.name or 'case-lambda'}: no clause takes {n} arguments", (),
                                      kind="arity"))
    elif t is Parameter:
        if args:
            raise error("parameter object called with arguments", *args)
        m.val = param_value(m, f)
        m.node = None
    else:
        applier = getattr(f, "apply", None)
        if applier is None:
            raise error("not a procedure", f, kind="type")
        applier(m, args)


def primitive_arity_error(f: Any, n: int) -> SchemeError:
    if f.max is None:
        wanted = f"at least {f.min}"
    elif f.max == f.min:
        wanted = str(f.min)
    else:
        wanted = f"{f.min} to {f.max}"
    return SchemeError(ErrorObject(f"{f.name}: wrong number of arguments: {n} given, {wanted} expected", (),
                                   kind="arity"))


# ---------------------------------------------------------------- continuations and winding


def _wind_steps(start: Wind | None, target: Wind | None) -> list[tuple[Any, Wind]]:
    """The after thunks leaving ``start`` and the before thunks entering ``target``."""
    a, b = start, target
    da = a.depth if a else 0
    db = b.depth if b else 0
    leave: list[Wind] = []
    enter_: list[Wind] = []
    while da > db:
        leave.append(a)
        a = a.next
        da -= 1
    while db > da:
        enter_.append(b)
        b = b.next
        db -= 1
    while a is not b:
        leave.append(a)
        enter_.append(b)
        a = a.next
        b = b.next
    steps: list[tuple[Any, Wind]] = [(w.after, w) for w in leave]
    steps += [(w.before, w) for w in reversed(enter_)]
    return steps


def wind_to(m: Context, target: Wind | None, then: Any) -> None:
    """Run the dynamic-wind thunks between here and ``target``, then ``then(m)``."""
    steps = _wind_steps(m.winders, target)
    _wind_step(m, (steps, 0, target, then))


def _wind_step(m: Context, data: tuple[Any, ...]) -> None:
    steps, i, target, then = data
    if i >= len(steps):
        m.winders = target
        then(m)
        return
    thunk, wind = steps[i]
    leaving = thunk is wind.after
    m.winders = wind.next
    m.handlers = wind.handlers
    m.params = wind.params
    m.k = NativeFrame(_wind_done, (steps, i, target, then, wind, leaving), "dynamic-wind", m.k)
    apply_procedure(m, thunk, [])


def _wind_done(m: Context, data: tuple[Any, ...]) -> None:
    steps, i, target, then, wind, leaving = data
    m.winders = wind.next if leaving else wind
    _wind_step(m, (steps, i + 1, target, then))


def throw(m: Context, c: Continuation, args: list[Any]) -> None:
    value = args[0] if len(args) == 1 else Values(tuple(args))
    if m.max_depth != m.depth_limit and c.k.depth < m.depth_limit:
        m.max_depth = m.depth_limit       # back under the limit: the grace for handlers ends
    if m.winders is c.winders:
        m.k = c.k
        m.handlers = c.handlers
        m.params = c.params
        m.val = value
        m.node = None
        return

    def arrive(m: Context) -> None:
        m.k = c.k
        m.handlers = c.handlers
        m.params = c.params
        m.val = value
        m.node = None

    wind_to(m, c.winders, arrive)


# ---------------------------------------------------------------- raising


def do_raise(m: Context, payload: Any, continuable: bool, src: Any = None) -> None:
    handlers = m.handlers
    if handlers is None:
        raise Uncaught(payload, m.k, src, m.env)
    m.k = NativeFrame(_raise_returned, (payload, continuable, handlers), "raise", m.k)
    m.handlers = handlers.next
    apply_procedure(m, handlers.proc, [payload])


def _raise_returned(m: Context, data: tuple[Any, ...]) -> None:
    payload, continuable, handlers = data
    if continuable:
        m.handlers = handlers
        m.node = None
        return
    m.handlers = handlers.next
    m.node = RaiseNode(ErrorObject("exception handler returned from a non-continuable raise", [payload]))


# ---------------------------------------------------------------- backtraces


def backtrace(k: Any, src: Any, env: Any = None, limit: int = 12) -> list[str]:
    """Lines naming the procedures (and source lines) waiting in continuation ``k``, innermost
    first: one per activation (frames that share a local frame ``env`` are one activation), the
    same place again and again (a recursion) summarised."""
    entries: list[tuple[Any, Any]] = []
    if src is not None:
        entries.append((src, id(env) if env is not None else None))
    frame = k
    while frame is not None:
        where = frame.where()
        if where is not None:
            frame_env = getattr(frame, "env", None)
            entries.append((where, id(frame_env) if frame_env is not None else None))
        frame = frame.next
    places: list[Any] = []
    last_key: Any = None
    for where, key in entries:
        if places and key is not None and key == last_key:
            continue                          # the same activation, further out
        if places and where[0] is None and places[-1][0] is None and where[1] in (places[-1][1], None):
            continue                          # the top level is one activation
        places.append(where)
        last_key = key
    lines: list[str] = []
    previous = None
    repeat = 0
    for where in places:
        if where == previous:
            repeat += 1
            continue
        if repeat:
            lines.append(f"    ... {repeat} more in {_describe_src(previous)}")
            repeat = 0
        lines.append("  in " + _describe_src(where))
        previous = where
    if repeat:
        lines.append(f"    ... {repeat} more in {_describe_src(previous)}")
    if len(lines) > limit * 2:
        lines = lines[:limit] + [f"  ... {len(lines) - 2 * limit + limit // 2} entries omitted ..."] + \
            lines[-(limit // 2):]
    return lines


def _describe_src(src: Any) -> str:
    name, origin, line = src
    text = name or "top level"
    if origin:
        origin = origin.rsplit("/", 1)[-1]
        text += f" ({origin}:{line})" if line else f" ({origin})"
    return text


def describe_payload(payload: Any) -> str:
    from .printer import write_string
    if type(payload) is ErrorObject:
        text = payload.message
        if payload.irritants:
            text += ": " + " ".join(write_string(x) for x in payload.irritants)
        return text
    return "uncaught exception: " + write_string(payload)


# ---------------------------------------------------------------- errors from Python


def python_error(e: BaseException, src: Any) -> Any:
    """Turn a Python exception from inside a primitive into a Scheme error object."""
    from .primitives.registry import PRIMITIVE_CODES
    tb = e.__traceback__
    prim = None
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        name = PRIMITIVE_CODES.get(tb.tb_frame.f_code)
        if name is not None:
            prim = name
        tb = tb.tb_next
    if isinstance(e, AttributeError) and str(e).endswith("'value'") and "Cell" in str(e):
        for frame in reversed(frames):
            for scope in (frame.f_locals, frame.f_globals):
                for value in scope.values():
                    if type(value) is Cell and not value.bound():
                        return ErrorObject(f"unbound variable: {value.name}", [], kind="unbound")
        return ErrorObject("unbound variable", [], kind="unbound")
    if isinstance(e, RecursionError):
        return ErrorObject("nesting too deep for this operation", [], kind="memory")
    if isinstance(e, MemoryError):
        return ErrorObject("out of memory", [], kind="memory")
    if isinstance(e, ZeroDivisionError):
        return ErrorObject(f"{prim or 'arithmetic'}: division by zero", [])
    if isinstance(e, TypeError):
        what = "wrong type of argument" if "argument" not in str(e) else f"bad arguments ({e})"
    else:
        what = {AttributeError: "wrong type of argument", IndexError: "index out of range",
                KeyError: "not found"}.get(type(e)) or f"{type(e).__name__}: {e}"
    return ErrorObject(f"{prim}: {what}" if prim else what, [], kind="type")


_PY_ERRORS = (TypeError, AttributeError, IndexError, KeyError, ValueError, ZeroDivisionError, OverflowError,
              RecursionError, MemoryError, UnicodeError)


# ---------------------------------------------------------------- the run loop


def run(m: Context, budget: int) -> tuple[str, int, Any]:
    """Run for at most ``budget`` cycles (plus one step). Returns (what, used, detail):
    ("preempted", used, None), ("call", used, KernelRequest), ("finished", used, value),
    ("exit", used, code), ("fault", used, Uncaught)."""
    Running.ctx = m
    used = 0
    cur: Any = None
    while True:
        try:
            while used < budget:
                node = m.node
                if node is None:                      # return m.val to the continuation
                    cur = f = m.k
                    m.k = f.next
                    used += 1
                    f.resume(m)
                    continue
                cur = node
                used += node.cost
                if type(node) is App:                 # the most frequent step, inlined
                    vals = node.ev(m.env)
                    fn = vals[0]
                    if type(fn) is Closure:
                        code = fn.code
                        if code.nreq == node.nargs and not code.rest:
                            vals[0] = fn.env
                            if code.pad:
                                vals.extend(code.pad)
                            m.env = vals
                            m.node = code.body
                            if m.k.depth > m.max_depth:
                                too_deep(m)
                            continue
                    del vals[0]
                    apply_procedure(m, fn, vals)
                    continue
                if type(node) is If:                  # the next most frequent, inlined too
                    env = m.env
                    branch = node.then if node.test(env) is not False else node.other
                    if type(branch) is Ret:
                        m.val = branch.ev(env)
                        m.node = None
                    else:
                        m.node = branch
                    continue
                node.exec(m)
                if m.flush:                           # a line of console output is waiting
                    break
            return ("preempted", used, None)
        except SchemeError as e:
            m.node = RaiseNode(e.payload, _src_of(cur))
        except KernelRequest as r:
            return ("call", used, r)
        except Finished as f:
            m.done = True
            return ("finished", used, f.value)
        except ExitRequest as x:
            m.done = True
            return ("exit", used, x.code)
        except Uncaught as u:
            m.done = True
            return ("fault", used, u)
        except _PY_ERRORS as e:
            m.node = RaiseNode(python_error(e, _src_of(cur)), _src_of(cur))


def _src_of(cur: Any) -> Any:
    if cur is None:
        return None
    if isinstance(cur, Frame):
        return cur.where()
    return cur.src

