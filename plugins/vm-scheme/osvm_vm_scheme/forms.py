"""The syntactic keywords: core forms compiled directly, derived forms rewritten into them.

Each keyword is a :class:`~.syntax.Special` in :data:`SPECIALS`; the standard libraries
export them like variables, so a program can shadow ``if`` locally and a macro still
means the ``if`` of its definition. Rewrites build their output with :func:`kw`
identifiers (always the core keyword) and fresh aliases for temporaries.
"""

from __future__ import annotations

from typing import Any

from . import machine as M
from .compiler import (
    CORE,
    REWRITES,
    TOP_HANDLERS,
    Compiler,
    L,
    Simple,
    _list_items,
    combine,
    const,
    holes,
    kw,
)
from .machine import If, IfK, Or, OrK
from .syntax import (
    Alias,
    Local,
    Quoted,
    Scope,
    Special,
    TopEnv,
    base_symbol,
    home_top,
    is_ident,
    resolve,
    strip,
)
from .values import (
    NIL,
    UNSPECIFIED,
    Cell,
    Pair,
    Record,
    RecordType,
    error,
    from_list,
    sym,
)

SPECIALS: dict[str, Special] = {}


def special(name: str, top: Any = None) -> Any:
    def register(fn: Any) -> Any:
        SPECIALS[name] = Special(name, fn)
        CORE.table[sym(name)] = SPECIALS[name]
        if top is not None:
            TOP_HANDLERS[name] = top
        return fn
    return register


def aux(name: str) -> None:
    SPECIALS[name] = Special(name, None)
    CORE.table[sym(name)] = SPECIALS[name]


for _name in ("else", "=>", "...", "_", "unquote", "unquote-splicing"):
    aux(_name)


def fresh(name: str = "t") -> Alias:
    return Alias(sym(name), CORE)


def is_kw(x: Any, scope: Any, name: str) -> bool:
    return is_ident(x) and resolve(x, scope) is SPECIALS[name]


def _args(c: Compiler, x: Any, low: int, high: int | None, usage: str) -> list[Any]:
    items = _list_items(x.cdr, usage)
    if len(items) < low or (high is not None and len(items) > high):
        raise c.fail(f"bad syntax: expected {usage}")
    return items


def make_if(c: Compiler, test: Any, then: Any, other: Any) -> Any:
    if type(test) is Simple:
        if test.is_const:
            return then if test.value is not False else other
        if type(then) is Simple and type(other) is Simple:
            return combine("({1} if {0} is not False else {2})", [test, then, other])
        return If(test.ev, c.node(then), c.node(other), test.size + 1, c.src())
    return IfK(test, c.node(then), c.node(other), c.src())


# ---------------------------------------------------------------- core forms


@special("quote")
def _quote(c: Compiler, x: Any, scope: Any) -> Any:
    (datum,) = _args(c, x, 1, 1, "(quote datum)")
    return const(strip(datum))


@special("if")
def _if(c: Compiler, x: Any, scope: Any) -> Any:
    items = _args(c, x, 2, 3, "(if test then [else])")
    test = c.comp(items[0], scope)
    then = c.comp(items[1], scope)
    other = c.comp(items[2], scope) if len(items) == 3 else const(UNSPECIFIED)
    return make_if(c, test, then, other)


@special("lambda")
def _lambda(c: Compiler, x: Any, scope: Any) -> Any:
    if type(x.cdr) is not Pair:
        raise c.fail("lambda: expected (lambda formals body ...)")
    return c.comp_lambda(x.cdr.car, x.cdr.cdr, scope, c.name_for(x))


@special("set!")
def _set(c: Compiler, x: Any, scope: Any) -> Any:
    target, value = _args(c, x, 2, 2, "(set! name expression)")
    if not is_ident(target):
        raise c.fail("set!: not an identifier", target)
    b = resolve(target, scope)
    v = c.comp(value, scope)
    if type(b) is Local:
        return c.local_set(b.depth, b.index, v)
    if b is None:
        name, top = home_top(target, scope)
        b = top.cell_for(name)
    if type(b) is Cell:
        top = scope if type(scope) is TopEnv else scope.top
        if b.frozen or (base_symbol(target) in top.imported and top.table.get(base_symbol(target)) is b):
            raise c.fail(f"set!: {b.name} is an imported binding and cannot be assigned")
        return c.cell_set(b, v)
    raise c.fail(f"set!: {base_symbol(target).name} is syntax, not a variable")


@special("begin")
def _begin(c: Compiler, x: Any, scope: Any) -> Any:
    items = _list_items(x.cdr, "begin")
    if not items:
        return const(UNSPECIFIED)
    return c.sequence([c.comp(i, scope) for i in items])


@special("define")
def _define(c: Compiler, x: Any, scope: Any) -> Any:
    raise c.fail("define: not allowed in an expression context")


@special("define-syntax")
def _define_syntax(c: Compiler, x: Any, scope: Any) -> Any:
    raise c.fail("define-syntax: not allowed in an expression context")


@special("syntax-rules")
def _syntax_rules(c: Compiler, x: Any, scope: Any) -> Any:
    raise c.fail("syntax-rules: only allowed as a macro transformer")


@special("let")
def _let(c: Compiler, x: Any, scope: Any) -> Any:
    items = _list_items(x.cdr, "let")
    if len(items) < 2:
        raise c.fail("let: expected (let bindings body ...)")
    if is_ident(items[0]):
        if len(items) < 3:
            raise c.fail("named let: expected (let name bindings body ...)")
        return named_let(c, items[0], c.parse_bindings(items[1], "let"), x.cdr.cdr.cdr, scope)
    return c.comp_let(c.parse_bindings(items[0], "let"), items[1:], scope)


def named_let(c: Compiler, name: Any, bindings: list[tuple[Any, Any]], body: Any, scope: Any) -> Any:
    inner = Scope(scope, True)
    inner.add(name)
    code = c.lambda_code(from_list([v for v, _ in bindings]), body, inner, base_symbol(name).name)
    k = f"_nl{id(code)}"
    fn = Simple(f"_loop({k}, env)", {k: code})
    args = [c.comp(e, scope) for _, e in bindings]
    parts = [fn, *args]
    if all(type(p) is Simple for p in parts):
        listing = combine("[" + holes(len(parts)) + "]", parts, cost=0)
        return M.App(listing.ev, len(args), listing.size + 1, c.src())
    return M.AppK(tuple(p.ev if type(p) is Simple else p for p in parts),
                  tuple(type(p) is not Simple for p in parts),
                  1 + sum(p.size for p in parts if type(p) is Simple), c.src())


@special("let*")
def _let_star(c: Compiler, x: Any, scope: Any) -> Any:
    items = _list_items(x.cdr, "let*")
    if len(items) < 2:
        raise c.fail("let*: expected (let* bindings body ...)")
    bindings = _list_items(items[0], "let*")
    if len(bindings) <= 1:
        return c.comp_let(c.parse_bindings(items[0], "let*"), items[1:], scope)
    inner = Pair(kw("let*"), Pair(from_list(bindings[1:]), x.cdr.cdr))
    return c.comp_let(c.parse_bindings(L(bindings[0]), "let*"), [inner], scope)


@special("letrec")
def _letrec(c: Compiler, x: Any, scope: Any) -> Any:
    items = _list_items(x.cdr, "letrec")
    if len(items) < 2:
        raise c.fail("letrec: expected (letrec bindings body ...)")
    return c.comp_letrec(c.parse_bindings(items[0], "letrec"), items[1:], scope)


SPECIALS["letrec*"] = Special("letrec*", _letrec)
CORE.table[sym("letrec*")] = SPECIALS["letrec*"]


def _syntax_bindings(c: Compiler, x: Any, scope: Any, recursive: bool) -> Any:
    items = _list_items(x.cdr, "let-syntax")
    if len(items) < 1:
        raise c.fail("let-syntax: expected (let-syntax bindings body ...)")
    new = Scope(scope, True)
    for b in _list_items(items[0], "let-syntax"):
        name, spec = _list_items(b, "let-syntax binding")
        new.macros[name] = c.transformer(spec, new if recursive else scope, base_symbol(name).name)
    body = items[1:] or [Quoted(UNSPECIFIED)]
    b = c.comp_body(body, new)
    pad = new.size
    frame = Simple("[env" + ", _UB" * pad + "]")
    if type(b) is Simple:
        name = f"_ls{id(b)}"
        return combine(f"{name}(" + "{0})", [frame], {name: b.ev})
    return M.Let(frame.ev, b, 0, 1, c.src())


@special("let-syntax")
def _let_syntax(c: Compiler, x: Any, scope: Any) -> Any:
    return _syntax_bindings(c, x, scope, False)


@special("letrec-syntax")
def _letrec_syntax(c: Compiler, x: Any, scope: Any) -> Any:
    return _syntax_bindings(c, x, scope, True)


@special("and")
def _and(c: Compiler, x: Any, scope: Any) -> Any:
    parts = [c.comp(e, scope) for e in _list_items(x.cdr, "and")]
    if not parts:
        return const(True)
    acc = parts[-1]
    for p in reversed(parts[:-1]):
        acc = make_if(c, p, acc, const(False))
    return acc


@special("or")
def _or(c: Compiler, x: Any, scope: Any) -> Any:
    parts = [c.comp(e, scope) for e in _list_items(x.cdr, "or")]
    if not parts:
        return const(False)
    acc = parts[-1]
    for p in reversed(parts[:-1]):
        if type(p) is Simple:
            if type(acc) is Simple:
                t = f"_o{id(p)}"
                acc = combine(f"({t} if ({t} := " + "{0}) is not False else {1})", [p, acc])
            else:
                acc = Or(p.ev, acc, p.size + 1, c.src())
        else:
            acc = OrK(p, c.node(acc), c.src())
    return acc


@special("when")
def _when(c: Compiler, x: Any, scope: Any) -> Any:
    items = _args(c, x, 1, None, "(when test body ...)")
    return make_if(c, c.comp(items[0], scope), c.sequence([c.comp(i, scope) for i in items[1:]]),
                   const(UNSPECIFIED))


@special("unless")
def _unless(c: Compiler, x: Any, scope: Any) -> Any:
    items = _args(c, x, 1, None, "(unless test body ...)")
    return make_if(c, c.comp(items[0], scope), const(UNSPECIFIED),
                   c.sequence([c.comp(i, scope) for i in items[1:]]))


@special("cond")
def _cond(c: Compiler, x: Any, scope: Any) -> Any:
    return c.comp(rewrite_cond(c, _list_items(x.cdr, "cond"), scope), scope)


def rewrite_cond(c: Compiler, clauses: list[Any], scope: Any) -> Any:
    if not clauses:
        return Quoted(UNSPECIFIED)
    clause = clauses[0]
    if type(clause) is not Pair:
        raise c.fail("cond: a clause is (test expression ...)", clause)
    test = clause.car
    body = _list_items(clause.cdr, "cond clause")
    if is_kw(test, scope, "else"):
        if len(clauses) > 1:
            raise c.fail("cond: else must be the last clause")
        return Pair(kw("begin"), from_list(body)) if body else Quoted(UNSPECIFIED)
    rest = rewrite_cond(c, clauses[1:], scope)
    if not body:
        return L(kw("or"), test, rest)
    if is_kw(body[0], scope, "=>"):
        if len(body) != 2:
            raise c.fail("cond: a => clause is (test => receiver)")
        t = fresh()
        return L(kw("let"), L(L(t, test)), L(kw("if"), t, L(body[1], t), rest))
    return L(kw("if"), test, Pair(kw("begin"), from_list(body)), rest)


@special("case")
def _case(c: Compiler, x: Any, scope: Any) -> Any:
    items = _args(c, x, 1, None, "(case key clause ...)")
    t = fresh("key")
    chain = _case_chain(c, t, items[1:], scope)
    return c.comp(L(kw("let"), L(L(t, items[0])), chain), scope)


def _case_chain(c: Compiler, t: Any, clauses: list[Any], scope: Any) -> Any:
    from .primitives.registry import lookup_primitive
    if not clauses:
        return Quoted(UNSPECIFIED)
    clause = clauses[0]
    if type(clause) is not Pair:
        raise c.fail("case: a clause is ((datum ...) expression ...)", clause)
    body = _list_items(clause.cdr, "case clause")
    if body and is_kw(body[0], scope, "=>"):
        result = L(body[1], t)
    else:
        result = Pair(kw("begin"), from_list(body)) if body else Quoted(UNSPECIFIED)
    if is_kw(clause.car, scope, "else"):
        return result
    data = strip(clause.car)
    rest = _case_chain(c, t, clauses[1:], scope)
    test = L(Quoted(lookup_primitive("memv")), t, L(kw("quote"), data))
    return L(kw("if"), test, result, rest)


@special("do")
def _do(c: Compiler, x: Any, scope: Any) -> Any:
    items = _args(c, x, 2, None, "(do ((var init step) ...) (test result ...) command ...)")
    specs = _list_items(items[0], "do")
    loop = fresh("do-loop")
    bindings = []
    steps = []
    for spec in specs:
        parts = _list_items(spec, "do binding")
        if len(parts) not in (2, 3) or not is_ident(parts[0]):
            raise c.fail("do: a binding is (var init [step])", spec)
        bindings.append(L(parts[0], parts[1]))
        steps.append(parts[2] if len(parts) == 3 else parts[0])
    end = _list_items(items[1], "do test")
    if not end:
        raise c.fail("do: missing test")
    result = Pair(kw("begin"), from_list(end[1:])) if len(end) > 1 else Quoted(UNSPECIFIED)
    again = Pair(kw("begin"), from_list(items[2:] + [Pair(loop, from_list(steps))]))
    form = L(kw("let"), loop, from_list(bindings), L(kw("if"), end[0], result, again))
    return c.comp(form, scope)


@special("delay")
def _delay(c: Compiler, x: Any, scope: Any) -> Any:
    from .primitives.registry import lookup_primitive
    (e,) = _args(c, x, 1, 1, "(delay expression)")
    inner = L(Quoted(lookup_primitive("make-promise")), e)
    return c.comp(L(Quoted(lookup_primitive("%make-lazy")), L(kw("lambda"), NIL, inner)), scope)


@special("delay-force")
def _delay_force(c: Compiler, x: Any, scope: Any) -> Any:
    from .primitives.registry import lookup_primitive
    (e,) = _args(c, x, 1, 1, "(delay-force expression)")
    return c.comp(L(Quoted(lookup_primitive("%make-lazy")), L(kw("lambda"), NIL, e)), scope)


@special("parameterize")
def _parameterize(c: Compiler, x: Any, scope: Any) -> Any:
    from .primitives.registry import lookup_primitive
    items = _args(c, x, 2, None, "(parameterize ((param value) ...) body ...)")
    params = []
    values = []
    for b in _list_items(items[0], "parameterize"):
        p, v = _list_items(b, "parameterize binding")
        params.append(p)
        values.append(v)
    helper = base_value("%parameterize")
    lst = Quoted(lookup_primitive("list"))
    form = L(Quoted(helper), Pair(lst, from_list(params)), Pair(lst, from_list(values)),
             Pair(kw("lambda"), Pair(NIL, from_list(items[1:]))))
    return c.comp(form, scope)


def base_value(name: str) -> Any:
    from .library import base_env
    return base_env().table[sym(name)].value


@special("case-lambda")
def _case_lambda(c: Compiler, x: Any, scope: Any) -> Any:
    clauses = _list_items(x.cdr, "case-lambda")
    name = c.name_for(x)
    codes = []
    for clause in clauses:
        if type(clause) is not Pair:
            raise c.fail("case-lambda: a clause is (formals body ...)", clause)
        codes.append(c.lambda_code(clause.car, clause.cdr, scope, name))
    k = f"_cl{id(codes)}"
    n = f"_cn{id(codes)}"
    return Simple(f"_case({k}, env, {n})", {k: tuple(codes), n: name})


@special("quasiquote")
def _quasiquote(c: Compiler, x: Any, scope: Any) -> Any:
    (template,) = _args(c, x, 1, 1, "(quasiquote template)")
    return c.comp(_qq(template, 1, scope), scope)


def _qq_kw(x: Any, scope: Any) -> str | None:
    """'unquote', 'unquote-splicing' or 'quasiquote' if identifier ``x`` means that keyword here."""
    if not is_ident(x):
        return None
    name = base_symbol(x).name
    if name in ("unquote", "unquote-splicing", "quasiquote") and (
            resolve(x, scope) in (SPECIALS.get(name), None)):
        return name
    return None


def _has_unquote(x: Any, depth: int, scope: Any) -> bool:
    if type(x) is Pair:
        name = _qq_kw(x.car, scope)
        if name in ("unquote", "unquote-splicing"):
            return depth == 1 or _has_unquote(x.cdr, depth - 1, scope)
        if name == "quasiquote":
            return _has_unquote(x.cdr, depth + 1, scope)
        return _has_unquote(x.car, depth, scope) or _has_unquote(x.cdr, depth, scope)
    if type(x) is list:
        return any(_has_unquote(e, depth, scope) for e in x)
    return False


def _qq(x: Any, depth: int, scope: Any) -> Any:
    from .primitives.registry import lookup_primitive as P
    if not _has_unquote(x, depth, scope):
        return L(kw("quote"), x)
    if type(x) is list:
        return L(Quoted(P("list->vector")), _qq(from_list(x), depth, scope))
    head = x.car
    name = _qq_kw(head, scope)
    if name is not None and type(x.cdr) is Pair and x.cdr.cdr is NIL:
        if name == "unquote":
            if depth == 1:
                return x.cdr.car
            return L(Quoted(P("list")), L(kw("quote"), sym("unquote")), _qq(x.cdr.car, depth - 1, scope))
        if name == "quasiquote":
            return L(Quoted(P("list")), L(kw("quote"), sym("quasiquote")), _qq(x.cdr.car, depth + 1, scope))
    if type(head) is Pair and _qq_kw(head.car, scope) == "unquote-splicing" and type(head.cdr) is Pair:
        if depth == 1:
            return L(Quoted(P("append")), head.cdr.car, _qq(x.cdr, depth, scope))
        spliced = L(Quoted(P("list")), L(kw("quote"), sym("unquote-splicing")),
                    _qq(head.cdr.car, depth - 1, scope))
        return L(Quoted(P("cons")), spliced, _qq(x.cdr, depth, scope))
    return L(Quoted(P("cons")), _qq(head, depth, scope), _qq(x.cdr, depth, scope))


# ---------------------------------------------------------------- multiple values


@special("let-values")
def _let_values(c: Compiler, x: Any, scope: Any) -> Any:
    items = _args(c, x, 2, None, "(let-values (((formals) expression) ...) body ...)")
    bindings = [_list_items(b, "let-values binding") for b in _list_items(items[0], "let-values")]
    renames: list[tuple[Any, Any]] = []

    def rename(formals: Any) -> Any:
        if type(formals) is Pair:
            t = fresh(base_symbol(formals.car).name)
            renames.append((formals.car, t))
            return Pair(t, rename(formals.cdr))
        if is_ident(formals):
            t = fresh(base_symbol(formals).name)
            renames.append((formals, t))
            return t
        return formals

    plan = [(rename(b[0]), b[1]) for b in bindings]
    body: Any = L(kw("let"), from_list([L(v, t) for v, t in renames]), *items[1:])
    for formals, expr in reversed(plan):
        body = _cwv(expr, formals, [body])
    return c.comp(body, scope)


def _cwv(expr: Any, formals: Any, body: list[Any]) -> Any:
    from .primitives.registry import lookup_control
    return L(Quoted(lookup_control("call-with-values")), L(kw("lambda"), NIL, expr),
             Pair(kw("lambda"), Pair(formals, from_list(body))))


@special("let*-values")
def _let_star_values(c: Compiler, x: Any, scope: Any) -> Any:
    items = _args(c, x, 2, None, "(let*-values (((formals) expression) ...) body ...)")
    bindings = [_list_items(b, "let*-values binding") for b in _list_items(items[0], "let*-values")]
    if not bindings:
        return c.comp(Pair(kw("let"), Pair(NIL, from_list(items[1:]))), scope)
    body: Any = Pair(kw("let"), Pair(NIL, from_list(items[1:])))
    for formals, expr in reversed(bindings):
        body = _cwv(expr, formals, [body])
    return c.comp(body, scope)


def _rewrite_define_values(c: Compiler, x: Any, scope: Any) -> Any:
    formals, expr = _args(c, x, 2, 2, "(define-values formals expression)")
    targets = []
    temps: Any = NIL
    f = formals
    pieces = []
    while type(f) is Pair:
        t = fresh(base_symbol(f.car).name)
        targets.append((f.car, t))
        pieces.append(t)
        f = f.cdr
    tail: Any = NIL
    if is_ident(f):
        tail = fresh(base_symbol(f).name)
        targets.append((f, tail))
    temps = from_list(pieces, tail)
    defines = [L(kw("define"), v, Quoted(UNSPECIFIED)) for v, _ in targets]
    sets = [L(kw("set!"), v, t) for v, t in targets] or [Quoted(UNSPECIFIED)]
    return Pair(kw("begin"), from_list([*defines, _cwv(expr, temps, sets)]))


REWRITES["define-values"] = _rewrite_define_values


@special("define-values")
def _define_values(c: Compiler, x: Any, scope: Any) -> Any:
    raise c.fail("define-values: not allowed in an expression context")


# ---------------------------------------------------------------- records


def _rewrite_record(c: Compiler, x: Any, scope: Any) -> Any:
    from .machine import Primitive
    items = _list_items(x.cdr, "define-record-type")
    if len(items) < 2:
        raise c.fail("define-record-type: expected (define-record-type name constructor predicate field ...)")
    type_name = items[0]
    ctor = items[1]
    pred = items[2] if len(items) > 2 else False
    field_specs = [_list_items(f, "record field") if type(f) is Pair else [f] for f in items[3:]]
    fields = tuple(base_symbol(f[0]).name for f in field_specs)
    tname = base_symbol(type_name).name if is_ident(type_name) else base_symbol(type_name.car).name
    rtype = RecordType(tname, fields)
    defines: list[Any] = []
    if is_ident(type_name):
        defines.append(L(kw("define"), type_name, Quoted(rtype)))
    if ctor is not False and ctor is not NIL:
        if is_ident(ctor):
            ctor_name, ctor_fields = ctor, list(fields)
        else:
            ctor_name = ctor.car
            ctor_fields = [base_symbol(f).name for f in _list_items(ctor.cdr, "record constructor")]
        positions = []
        for f in ctor_fields:
            if f not in fields:
                raise c.fail(f"define-record-type {tname}: constructor names unknown field {f}")
            positions.append(fields.index(f))
        prim = Primitive(_constructor(rtype, tuple(positions)), base_symbol(ctor_name).name,
                         len(positions), len(positions), pure=True)
        defines.append(L(kw("define"), ctor_name, Quoted(prim)))
    if is_ident(pred):
        prim = Primitive(lambda obj: type(obj) is Record and obj.rtype is rtype, base_symbol(pred).name, 1, 1)
        defines.append(L(kw("define"), pred, Quoted(prim)))
    for index, spec in enumerate(field_specs):
        if len(spec) > 1:
            name = base_symbol(spec[1]).name
            defines.append(L(kw("define"), spec[1], Quoted(Primitive(_accessor(rtype, index, name), name, 1, 1))))
        if len(spec) > 2:
            name = base_symbol(spec[2]).name
            defines.append(L(kw("define"), spec[2], Quoted(Primitive(_modifier(rtype, index, name), name, 2, 2))))
    return Pair(kw("begin"), from_list(defines))


def _constructor(rtype: RecordType, positions: tuple[int, ...]) -> Any:
    n = len(rtype.fields)

    def construct(*args: Any) -> Record:
        values = [False] * n
        for pos, value in zip(positions, args, strict=True):
            values[pos] = value
        return Record(rtype, values)
    return construct


def _accessor(rtype: RecordType, index: int, name: str) -> Any:
    def access(obj: Any) -> Any:
        if type(obj) is not Record or obj.rtype is not rtype:
            raise error(f"{name}: not a {rtype.name} record", obj, kind="type")
        return obj.values[index]
    return access


def _modifier(rtype: RecordType, index: int, name: str) -> Any:
    def modify(obj: Any, value: Any) -> Any:
        if type(obj) is not Record or obj.rtype is not rtype:
            raise error(f"{name}: not a {rtype.name} record", obj, kind="type")
        obj.values[index] = value
        return UNSPECIFIED
    return modify


REWRITES["define-record-type"] = _rewrite_record


@special("define-record-type")
def _define_record_type(c: Compiler, x: Any, scope: Any) -> Any:
    raise c.fail("define-record-type: not allowed in an expression context")


# ---------------------------------------------------------------- errors, includes, features


@special("syntax-error")
def _syntax_error(c: Compiler, x: Any, scope: Any) -> Any:
    items = _list_items(x.cdr, "syntax-error")
    message = strip(items[0]).s if items and hasattr(strip(items[0]), "s") else "syntax error"
    raise c.fail(message, *items[1:])


def read_include(c: Compiler, x: Any, fold: bool) -> list[Any]:
    from .reader import Reader, ReadError
    forms: list[Any] = []
    for name in _list_items(x.cdr, "include"):
        text_name = getattr(strip(name), "s", None)
        if text_name is None:
            raise c.fail("include: file names must be strings", name)
        path = c.unit.base_dir / text_name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise c.fail(f"include: cannot read {path}: {e.strerror}") from None
        reader = Reader(text, str(path), fold_case=fold)
        try:
            data = reader.read_all()
        except ReadError as e:
            raise c.fail(f"include: {e}") from None
        c.unit.add_reader(reader, data)
        forms.extend(data)
    return forms


@special("include")
def _include(c: Compiler, x: Any, scope: Any) -> Any:
    return c.comp(Pair(kw("begin"), from_list(read_include(c, x, False))), scope)


@special("include-ci")
def _include_ci(c: Compiler, x: Any, scope: Any) -> Any:
    return c.comp(Pair(kw("begin"), from_list(read_include(c, x, True))), scope)


FEATURES = ["r7rs", "exact-closed", "exact-complex", "ieee-float", "full-unicode", "ratios", "osvm",
            "osvm-scheme", "python"]


def feature_ok(c: Compiler, req: Any) -> bool:
    from .library import library_exists, parse_library_name
    req = strip(req)
    if type(req) is not Pair:
        return getattr(req, "name", None) in FEATURES or getattr(req, "name", None) == "else"
    head = getattr(req.car, "name", "")
    args = _list_items(req.cdr, "cond-expand requirement")
    if head == "and":
        return all(feature_ok(c, a) for a in args)
    if head == "or":
        return any(feature_ok(c, a) for a in args)
    if head == "not":
        return not feature_ok(c, args[0])
    if head == "library":
        return library_exists(parse_library_name(args[0]), c)
    return False


def cond_expand_body(c: Compiler, x: Any) -> list[Any]:
    for clause in _list_items(x.cdr, "cond-expand"):
        if type(clause) is not Pair:
            raise c.fail("cond-expand: a clause is (requirement body ...)", clause)
        if feature_ok(c, clause.car):
            return _list_items(clause.cdr, "cond-expand clause")
    return []


@special("cond-expand")
def _cond_expand(c: Compiler, x: Any, scope: Any) -> Any:
    return c.comp(Pair(kw("begin"), from_list(cond_expand_body(c, x))), scope)


def _rewrite_cond_expand(c: Compiler, x: Any, scope: Any) -> Any:
    return Pair(kw("begin"), from_list(cond_expand_body(c, x)))


REWRITES["cond-expand"] = _rewrite_cond_expand


def _rewrite_include(c: Compiler, x: Any, scope: Any) -> Any:
    fold = is_kw(x.car, scope, "include-ci")
    return Pair(kw("begin"), from_list(read_include(c, x, fold)))


REWRITES["include"] = _rewrite_include
REWRITES["include-ci"] = _rewrite_include


# ---------------------------------------------------------------- top level


def _top_begin(c: Compiler, x: Any, top: TopEnv) -> list[Any]:
    out: list[Any] = []
    for form in _list_items(x.cdr, "begin"):
        out.extend(c.comp_top(form, top))
    return out


def _top_define(c: Compiler, x: Any, top: TopEnv) -> list[Any]:
    ident, value, name = c.parse_define(x)
    cell = top.define_cell(base_symbol(ident))
    return [c.cell_set(cell, c.comp_named(value, top, name))]


def _top_define_syntax(c: Compiler, x: Any, top: TopEnv) -> list[Any]:
    c.define_syntax(x, top)
    return []


def _top_rewrite(c: Compiler, x: Any, top: TopEnv) -> list[Any]:
    return c.comp_top(REWRITES[resolve(x.car, top).name](c, x, top), top)


def _top_import(c: Compiler, x: Any, top: TopEnv) -> list[Any]:
    from .library import process_import
    process_import(c, x, top)
    return []


def _top_define_library(c: Compiler, x: Any, top: TopEnv) -> list[Any]:
    from .library import define_library
    define_library(c, x)
    return []


TOP_HANDLERS.update({
    "begin": _top_begin, "define": _top_define, "define-syntax": _top_define_syntax,
    "define-values": _top_rewrite, "define-record-type": _top_rewrite, "include": _top_rewrite,
    "include-ci": _top_rewrite, "cond-expand": _top_rewrite, "import": _top_import,
    "define-library": _top_define_library,
})


@special("import")
def _import(c: Compiler, x: Any, scope: Any) -> Any:
    raise c.fail("import: allowed only at the top level of a program or library")


@special("define-library")
def _define_library(c: Compiler, x: Any, scope: Any) -> Any:
    raise c.fail("define-library: allowed only at the top level of a file")
