"""Control (R7RS 6.10-6.12): apply, continuations, values, dynamic-wind, exceptions, parameters,
promises, eval and exit. Most are Control procedures that set the machine's registers."""

from __future__ import annotations

from typing import Any

from ..machine import (
    Context,
    Continuation,
    ExitRequest,
    NativeFrame,
    ParamBinding,
    Parameter,
    Primitive,
    Wind,
    apply_procedure,
    do_raise,
    wind_to,
)
from ..machine import HandlerNode as _Handler
from ..values import (
    NIL,
    UNSPECIFIED,
    Environment,
    ErrorObject,
    MString,
    Pair,
    Promise,
    SchemeError,
    Values,
    error,
    from_list,
    make_values,
)
from .registry import control, prim


@control("apply")
def apply_(m: Context, f: Any, first: Any, *more: Any) -> None:
    args = (first, *more)
    spread = list(args[:-1])
    tail = args[-1]
    while type(tail) is Pair:
        spread.append(tail.car)
        tail = tail.cdr
    if tail is not NIL:
        raise error("apply: the last argument must be a proper list", args[-1], kind="type")
    apply_procedure(m, f, spread)


@control("call-with-current-continuation")
def call_cc(m: Context, f: Any) -> None:
    apply_procedure(m, f, [Continuation(m.k, m.winders, m.handlers, m.params)])


@control("call/cc")
def call_cc_short(m: Context, f: Any) -> None:
    apply_procedure(m, f, [Continuation(m.k, m.winders, m.handlers, m.params)])


@prim("values", fixed={1: lambda x: x})
def values(*items: Any) -> Any:
    return make_values(items)


def _consume(m: Context, consumer: Any) -> None:
    v = m.val
    apply_procedure(m, consumer, list(v.items) if type(v) is Values else [v])


@control("call-with-values")
def call_with_values(m: Context, producer: Any, consumer: Any) -> None:
    m.k = NativeFrame(_consume, consumer, "call-with-values", m.k)
    apply_procedure(m, producer, [])


# ---------------------------------------------------------------- dynamic-wind


def _wind_before_done(m: Context, data: tuple[Any, Any, Any]) -> None:
    before, thunk, after = data
    wind = Wind(before, after, m.winders, m.handlers, m.params)
    m.winders = wind
    m.k = NativeFrame(_wind_thunk_done, wind, "dynamic-wind", m.k)
    apply_procedure(m, thunk, [])


def _wind_thunk_done(m: Context, wind: Wind) -> None:
    m.winders = wind.next
    m.k = NativeFrame(_wind_after_done, m.val, "dynamic-wind", m.k)
    apply_procedure(m, wind.after, [])


def _wind_after_done(m: Context, value: Any) -> None:
    m.val = value
    m.node = None


@control("dynamic-wind")
def dynamic_wind(m: Context, before: Any, thunk: Any, after: Any) -> None:
    m.k = NativeFrame(_wind_before_done, (before, thunk, after), "dynamic-wind", m.k)
    apply_procedure(m, before, [])


# ---------------------------------------------------------------- exceptions


def _restore_handlers(m: Context, saved: Any) -> None:
    m.handlers = saved


@control("with-exception-handler")
def with_exception_handler(m: Context, handler: Any, thunk: Any) -> None:
    m.k = NativeFrame(_restore_handlers, m.handlers, "with-exception-handler", m.k)
    m.handlers = _Handler(handler, m.handlers)
    apply_procedure(m, thunk, [])


@prim("raise")
def raise_(obj: Any) -> Any:
    raise SchemeError(obj)


@control("raise-continuable")
def raise_continuable(m: Context, obj: Any) -> None:
    do_raise(m, obj, True)


@prim("error")
def error_(message: Any, *irritants: Any) -> Any:
    from ..printer import display_string
    text = message.s if type(message) is MString else display_string(message)
    raise SchemeError(ErrorObject(text, list(irritants)))


@prim("error-object?")
def error_object_p(x: Any) -> bool:
    return type(x) is ErrorObject


@prim("error-object-message")
def error_object_message(x: Any) -> MString:
    if type(x) is not ErrorObject:
        raise error("error-object-message: not an error object", x, kind="type")
    return MString(x.message)


@prim("error-object-irritants")
def error_object_irritants(x: Any) -> Any:
    if type(x) is not ErrorObject:
        raise error("error-object-irritants: not an error object", x, kind="type")
    return from_list(x.irritants)


@prim("file-error?")
def file_error_p(x: Any) -> bool:
    return type(x) is ErrorObject and x.kind == "file"


@prim("read-error?")
def read_error_p(x: Any) -> bool:
    return type(x) is ErrorObject and x.kind == "read"


@prim("error-object-kind")
def error_object_kind(x: Any) -> Any:
    from ..values import sym
    return sym(x.kind) if type(x) is ErrorObject else False


# ---------------------------------------------------------------- parameters


@prim("%make-parameter")
def make_parameter(value: Any, converter: Any) -> Parameter:
    return Parameter(value, None if converter is False else converter)


@prim("%parameter-converter")
def parameter_converter(p: Any) -> Any:
    if type(p) is not Parameter:
        raise error("parameterize: not a parameter object", p, kind="type")
    return p.converter if p.converter is not None else False


def _restore_params(m: Context, saved: Any) -> None:
    m.params = saved


@control("%with-params")
def with_params(m: Context, params: Any, values_: Any, thunk: Any) -> None:
    m.k = NativeFrame(_restore_params, m.params, "parameterize", m.k)
    bindings = m.params
    while type(params) is Pair:
        bindings = ParamBinding(params.car, values_.car, bindings)
        params = params.cdr
        values_ = values_.cdr
    m.params = bindings
    apply_procedure(m, thunk, [])


# ---------------------------------------------------------------- promises


@prim("%make-lazy")
def make_lazy(thunk: Any) -> Promise:
    return Promise(False, thunk)


@prim("make-promise")
def make_promise(value: Any) -> Promise:
    if type(value) is Promise:
        return value
    return Promise(True, value)


@prim("promise?")
def promise_p(x: Any) -> bool:
    return type(x) is Promise


@prim("%promise-done?")
def promise_done(p: Any) -> bool:
    return p.box[0]


@prim("%promise-value")
def promise_value(p: Any) -> Any:
    return p.box[1]


@prim("%promise-update!")
def promise_update(new: Any, old: Any) -> Any:
    old.box[0] = new.box[0]
    old.box[1] = new.box[1]
    new.box = old.box
    return UNSPECIFIED


# ---------------------------------------------------------------- eval and environments


def _compile_in(m: Context, expr: Any, env: Environment) -> Any:
    from ..compiler import Compiler, Unit
    compiler = Compiler(Unit(m.vm, "<eval>"))
    return compiler.node(compiler.sequence(compiler.comp_top(expr, env.top)))


@control("eval")
def eval_(m: Context, expr: Any, env: Any = None) -> None:
    from ..library import interaction_environment
    if env is None:
        env = interaction_environment(m.vm)
    if type(env) is not Environment:
        raise error("eval: not an environment", env, kind="type")
    node = _compile_in(m, expr, env)
    m.env = None
    m.node = node


@prim("environment")
def environment(*specs: Any) -> Environment:
    from ..library import make_environment
    from ..machine import Running
    ctx = Running.ctx
    return make_environment(list(specs), getattr(ctx, "vm", None))


@prim("interaction-environment")
def interaction_environment_() -> Environment:
    from ..library import interaction_environment
    from ..machine import Running
    return interaction_environment(getattr(Running.ctx, "vm", None))


@prim("scheme-report-environment")
def scheme_report_environment(version: Any = 5) -> Environment:
    from ..library import make_environment
    from ..values import sym
    return make_environment([from_list([sym("scheme"), sym("r5rs")])], None)


@prim("null-environment")
def null_environment(version: Any = 5) -> Environment:
    return scheme_report_environment(version)


# ---------------------------------------------------------------- exit


def _exit_code(value: Any) -> int:
    if value is True or value is UNSPECIFIED:
        return 0
    if value is False:
        return 1
    if type(value) is int:
        return value
    return 0


@control("exit")
def exit_(m: Context, code: Any = UNSPECIFIED) -> None:
    status = _exit_code(code)

    def leave(m: Context) -> None:
        raise ExitRequest(status)
    wind_to(m, None, leave)


@prim("emergency-exit")
def emergency_exit(code: Any = UNSPECIFIED) -> Any:
    raise ExitRequest(_exit_code(code))


@prim("procedure-arity-includes?")
def arity_includes(f: Any, n: Any) -> bool:
    from ..machine import CaseLambda, Closure, Control
    if type(f) is Closure:
        return n == f.code.nreq or (f.code.rest and n >= f.code.nreq)
    if type(f) is CaseLambda:
        return any(arity_includes(c, n) for c in f.clauses)
    if type(f) in (Primitive, Control):
        return f.min <= n and (f.max is None or n <= f.max)
    return True
