"""Compile-time environments, identifiers and ``syntax-rules``: the hygiene of the expander.

Hygiene works by renaming. Each expansion of a ``syntax-rules`` macro replaces every
symbol its template introduces by a fresh :class:`Alias` that remembers the scope where
the macro was defined. When the compiler resolves an alias it first looks for a binding
of that very alias (made by a binding form of the same expansion), and failing that
resolves the original name in the macro's scope. So a macro's ``temp`` never captures
the user's ``temp``, and a macro's ``if`` means the ``if`` where the macro was written,
even under a user's ``(let ((if #t)) ...)``. ``quote`` strips aliases back to symbols.
Literals (``else``, ``=>``) match when both identifiers resolve to the same binding.
"""

from __future__ import annotations

from typing import Any

from .values import NIL, Cell, Pair, Symbol, error, sym


class Alias:
    """An identifier introduced by a macro expansion: ``name`` as it was meant in ``scope``."""

    __slots__ = ("name", "scope")

    def __init__(self, name: Any, scope: Any) -> None:
        self.name = name
        self.scope = scope

    def __repr__(self) -> str:
        return f"Alias({base_symbol(self).name})"


def is_ident(x: Any) -> bool:
    t = type(x)
    return t is Symbol or t is Alias


def base_symbol(x: Any) -> Symbol:
    while type(x) is Alias:
        x = x.name
    return x


def strip(x: Any) -> Any:
    """Syntax to data: aliases become their symbols (pairs and vectors rebuilt only if needed)."""
    t = type(x)
    if t is Alias:
        return base_symbol(x)
    if t is Pair:
        items = []
        y = x
        changed = False
        while type(y) is Pair:
            s = strip(y.car)
            changed = changed or s is not y.car
            items.append(s)
            y = y.cdr
        tail = strip(y)
        if not changed and tail is y:
            return x
        result = tail
        for item in reversed(items):
            result = Pair(item, result)
        return result
    if t is list:
        stripped = [strip(e) for e in x]
        if all(a is b for a, b in zip(stripped, x, strict=True)):
            return x
        return stripped
    return x


class Quoted:
    """A value placed straight into generated code (a procedure, a constant): compiles to itself."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class Special:
    """A core syntactic keyword (``if``, ``lambda``, ...) or auxiliary keyword (``else``, ``=>``)."""

    __slots__ = ("name", "compile")

    def __init__(self, name: str, compile_: Any = None) -> None:
        self.name = name
        self.compile = compile_

    def __repr__(self) -> str:
        return f"#<syntax {self.name}>"

    def write_repr(self) -> str:
        return f"#<syntax {self.name}>"


class Macro:
    __slots__ = ("transformer", "name")

    def __init__(self, transformer: Any, name: str = "") -> None:
        self.transformer = transformer
        self.name = name

    def write_repr(self) -> str:
        return f"#<macro {self.name}>"


class Local:
    """A resolved local variable: ``depth`` frames up, slot ``index`` (of ``scope``)."""

    __slots__ = ("depth", "index", "scope")

    def __init__(self, depth: int, index: int, scope: Scope) -> None:
        self.depth = depth
        self.index = index
        self.scope = scope

    def same(self, other: Any) -> bool:
        return type(other) is Local and other.scope is self.scope and other.index == self.index


class Scope:
    """A lexical contour: variables (slots of a runtime frame, when ``runtime``) and local macros."""

    __slots__ = ("parent", "vars", "macros", "runtime", "size", "top")

    def __init__(self, parent: Scope | TopEnv, runtime: bool = True) -> None:
        self.parent = parent
        self.vars: dict[Any, int] = {}
        self.macros: dict[Any, Any] = {}
        self.runtime = runtime
        self.size = 0
        self.top: TopEnv = parent if type(parent) is TopEnv else parent.top

    def add(self, ident: Any) -> int:
        """A slot for ``ident`` (reusing its slot if the body defines it again)."""
        if ident in self.vars:
            return self.vars[ident]
        self.macros.pop(ident, None)
        self.size += 1
        self.vars[ident] = self.size
        return self.size


class TopEnv:
    """A top-level environment: a program's, a library's, the REPL's or one made for eval."""

    def __init__(self, name: str, vm: Any = None) -> None:
        self.name = name
        self.table: dict[Symbol, Any] = {}
        self.imported: set[Symbol] = set()
        self.vm = vm
        self.libraries: list[Any] = []   # libraries whose bodies must run before this code

    def __repr__(self) -> str:
        return f"TopEnv({self.name})"

    def get(self, s: Symbol) -> Any:
        return self.table.get(s)

    def cell_for(self, s: Symbol) -> Cell:
        """The variable ``s`` (made unbound when new: a forward reference)."""
        b = self.table.get(s)
        if b is None:
            b = self.table[s] = Cell(s.name)
        if type(b) is not Cell:
            raise error(f"{s.name} is syntax, not a variable", kind="syntax")
        return b

    def define_cell(self, s: Symbol) -> Cell:
        """The variable a top-level definition of ``s`` sets (a new one shadows an import)."""
        b = self.table.get(s)
        if type(b) is Cell and s not in self.imported:
            return b
        c = self.table[s] = Cell(s.name)
        self.imported.discard(s)
        return c

    def define_syntax(self, s: Symbol, binding: Any) -> None:
        self.table[s] = binding
        self.imported.discard(s)

    def import_binding(self, s: Symbol, binding: Any) -> None:
        current = self.table.get(s)
        if current is binding:
            return
        self.table[s] = binding
        self.imported.add(s)


def resolve(ident: Any, scope: Scope | TopEnv) -> Any:
    """What ``ident`` means in ``scope``: a Local, a Cell, a Macro, a Special, or None (unbound)."""
    depth = 0
    s = scope
    while type(s) is Scope:
        index = s.vars.get(ident)
        if index is not None:
            return Local(depth, index, s)
        m = s.macros.get(ident)
        if m is not None:
            return m
        if s.runtime:
            depth += 1
        s = s.parent
    if type(ident) is Alias:
        target = ident.scope
        b = resolve(ident.name, target)
        if type(b) is Local:
            extra = _frames_between(scope, target)
            if extra is None:
                raise error(f"{base_symbol(ident).name}: reference to a local variable out of its scope",
                            kind="syntax")
            return Local(b.depth + extra, b.index, b.scope)
        return b
    return s.table.get(ident)


def _frames_between(scope: Any, target: Any) -> int | None:
    depth = 0
    s = scope
    while type(s) is Scope:
        if s is target:
            return depth
        if s.runtime:
            depth += 1
        s = s.parent
    return depth if s is target else None


def top_of(scope: Any) -> TopEnv:
    return scope if type(scope) is TopEnv else scope.top


def home_top(ident: Any, scope: Any) -> tuple[Symbol, TopEnv]:
    """Where an unbound identifier's top-level variable lives: its symbol and environment."""
    while type(ident) is Alias:
        scope = ident.scope
        ident = ident.name
    return ident, top_of(scope)


def free_identifier_eq(a: Any, a_scope: Any, b: Any, b_scope: Any) -> bool:
    ba = resolve(a, a_scope)
    bb = resolve(b, b_scope)
    if type(ba) is Cell and not ba.bound():
        ba = None
    if type(bb) is Cell and not bb.bound():
        bb = None
    if ba is None and bb is None:
        return base_symbol(a) is base_symbol(b)
    if type(ba) is Local:
        return ba.same(bb)
    return ba is bb


# ---------------------------------------------------------------- syntax-rules

ELLIPSIS = sym("...")
UNDERSCORE = sym("_")


class _Seq:
    """What a pattern variable under an ellipsis matched: one binding per repetition."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items


class SyntaxRules:
    """A ``syntax-rules`` transformer defined in ``scope``."""

    def __init__(self, spec: Any, scope: Any, name: str = "") -> None:
        self.scope = scope
        self.name = name
        rest = spec.cdr
        self.ellipsis: Any = ELLIPSIS
        self.custom_ellipsis = False
        if type(rest) is Pair and is_ident(rest.car):
            self.ellipsis = rest.car
            self.custom_ellipsis = True
            rest = rest.cdr
        if type(rest) is not Pair:
            raise error("syntax-rules: missing literals list", kind="syntax")
        literals = []
        lit = rest.car
        while type(lit) is Pair:
            if not is_ident(lit.car):
                raise error("syntax-rules: literals must be identifiers", lit.car, kind="syntax")
            literals.append(lit.car)
            lit = lit.cdr
        self.literals = literals
        if any(x is self.ellipsis for x in literals):
            self.ellipsis = None      # a literal wins over the ellipsis (R7RS 4.3.2)
        self.rules: list[tuple[Any, Any, list[Any]]] = []
        rule = rest.cdr
        while type(rule) is Pair:
            r = rule.car
            if type(r) is not Pair or type(r.cdr) is not Pair or r.cdr.cdr is not NIL:
                raise error("syntax-rules: a rule is (pattern template)", kind="syntax")
            pattern = r.car
            if type(pattern) is not Pair:
                raise error("syntax-rules: a pattern must be a list", kind="syntax")
            variables: list[Any] = []
            self._collect(pattern.cdr, variables)
            self.rules.append((pattern.cdr, r.cdr.car, variables))
            rule = rule.cdr

    def _is_ellipsis(self, x: Any) -> bool:
        e = self.ellipsis
        if e is None:
            return False
        if self.custom_ellipsis:
            return x is e
        return is_ident(x) and base_symbol(x) is ELLIPSIS and self._means(x, "...")

    def _means(self, x: Any, keyword: str) -> bool:
        """Does identifier ``x`` (in the macro's scope) mean the auxiliary keyword (or nothing)?"""
        b = resolve(x, self.scope)
        return b is None or (type(b) is Special and b.name == keyword) or (type(b) is Cell and not b.bound())

    def _is_literal(self, x: Any) -> bool:
        return any(x is lit for lit in self.literals)

    def _collect(self, pattern: Any, out: list[Any]) -> None:
        t = type(pattern)
        if t is Symbol or t is Alias:
            if self._is_literal(pattern) or self._is_ellipsis(pattern):
                return
            if base_symbol(pattern) is UNDERSCORE and self._means(pattern, "_"):
                return
            out.append(pattern)
        elif t is Pair:
            self._collect(pattern.car, out)
            self._collect(pattern.cdr, out)
        elif t is list:
            for item in pattern:
                self._collect(item, out)

    # -- matching -------------------------------------------------------------------
    def _match(self, pat: Any, form: Any, binds: dict[Any, Any], use: Any) -> bool:
        t = type(pat)
        if t is Symbol or t is Alias:
            if self._is_literal(pat):
                return is_ident(form) and free_identifier_eq(form, use, pat, self.scope)
            if base_symbol(pat) is UNDERSCORE and self._means(pat, "_"):
                return True
            binds[pat] = form
            return True
        if t is Pair:
            if type(pat.cdr) is Pair and self._is_ellipsis(pat.cdr.car):
                return self._match_ellipsis(pat.car, pat.cdr.cdr, form, binds, use)
            if type(form) is not Pair:
                return False
            return self._match(pat.car, form.car, binds, use) and self._match(pat.cdr, form.cdr, binds, use)
        if pat is NIL:
            return form is NIL
        if t is list:
            if type(form) is not list:
                return False
            from .values import from_list
            return self._match(from_list(pat), from_list(form), binds, use)
        from .primitives.equality import equal
        return equal(pat, form)

    def _match_ellipsis(self, sub: Any, after: Any, form: Any, binds: dict[Any, Any], use: Any) -> bool:
        min_after = 0
        a = after
        while type(a) is Pair:
            min_after += 1
            a = a.cdr
        items = []
        f = form
        while type(f) is Pair:
            items.append(f.car)
            f = f.cdr
        count = len(items) - min_after
        if count < 0:
            return False
        matches = []
        for item in items[:count]:
            b: dict[Any, Any] = {}
            if not self._match(sub, item, b, use):
                return False
            matches.append(b)
        variables: list[Any] = []
        self._collect(sub, variables)
        for v in variables:
            binds[v] = _Seq([m[v] for m in matches])
        rest = f
        for item in reversed(items[count:]):
            rest = Pair(item, rest)
        return self._match(after, rest, binds, use)

    # -- templates ------------------------------------------------------------------
    def _instantiate(self, t: Any, binds: dict[Any, Any], renames: dict[Any, Alias], ellipsis: bool) -> Any:
        tt = type(t)
        if tt is Symbol or tt is Alias:
            if t in binds:
                value = binds[t]
                if type(value) is _Seq:
                    raise error(f"{self.name}: pattern variable {base_symbol(t).name} needs an ellipsis "
                                f"in the template", kind="syntax")
                return value
            alias = renames.get(t)
            if alias is None:
                alias = renames[t] = Alias(t, self.scope)
            return alias
        if tt is Pair:
            if ellipsis and self._is_ellipsis(t.car):
                if type(t.cdr) is not Pair:
                    raise error(f"{self.name}: bad ellipsis escape in template", kind="syntax")
                return self._instantiate(t.cdr.car, binds, renames, False)
            if ellipsis and type(t.cdr) is Pair and self._is_ellipsis(t.cdr.car):
                depth = 0
                rest = t.cdr
                while type(rest) is Pair and self._is_ellipsis(rest.car):
                    depth += 1
                    rest = rest.cdr
                items = self._repeat(t.car, binds, renames, depth)
                result = self._instantiate(rest, binds, renames, ellipsis)
                for item in reversed(items):
                    result = Pair(item, result)
                return result
            return Pair(self._instantiate(t.car, binds, renames, ellipsis),
                        self._instantiate(t.cdr, binds, renames, ellipsis))
        if tt is list:
            from .values import from_list, to_list
            return to_list(self._instantiate(from_list(t), binds, renames, ellipsis))
        return t

    def _repeat(self, sub: Any, binds: dict[Any, Any], renames: dict[Any, Alias], depth: int) -> list[Any]:
        names: list[Any] = []
        _idents(sub, names)
        seqs = [v for v in names if type(binds.get(v)) is _Seq]
        if not seqs:
            raise error(f"{self.name}: no pattern variable before an ellipsis in the template", kind="syntax")
        n = min(len(binds[v].items) for v in seqs)
        out: list[Any] = []
        for i in range(n):
            b = dict(binds)
            for v in seqs:
                b[v] = binds[v].items[i]
            if depth > 1:
                out.extend(self._repeat(sub, b, renames, depth - 1))
            else:
                out.append(self._instantiate(sub, b, renames, True))
        return out

    def expand(self, form: Any, use: Any) -> Any:
        for pattern, template, _variables in self.rules:
            binds: dict[Any, Any] = {}
            if self._match(pattern, form.cdr, binds, use):
                return self._instantiate(template, binds, {}, True)
        from .printer import write_string
        raise error(f"{self.name or 'macro'}: no syntax rule matches {write_string(strip(form))}", kind="syntax")


def _idents(t: Any, out: list[Any]) -> None:
    tt = type(t)
    if tt is Symbol or tt is Alias:
        out.append(t)
    elif tt is Pair:
        while type(t) is Pair:
            _idents(t.car, out)
            t = t.cdr
        _idents(t, out)
    elif tt is list:
        for item in t:
            _idents(item, out)
