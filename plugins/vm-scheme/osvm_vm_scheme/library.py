"""Libraries: the standard ones (built once per process), ``define-library`` and ``import``.

The base environment holds every keyword, every Python primitive and everything the
Scheme prelude (``prelude.scm``) defines; its variables are frozen once the prelude has
run. Each standard library exports a subset of it by name (R7RS appendix A). User
libraries come from ``define-library`` forms in a loaded file, or from files found by
name: ``(import (foo bar))`` looks for ``foo/bar.sld`` (then ``.scm``) next to the
importing file and in the VM's ``library_path``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from .compiler import Compiler, Unit, _list_items
from .forms import SPECIALS, cond_expand_body, read_include
from .machine import Context, HaltFrame, run
from .syntax import TopEnv, base_symbol, is_ident, strip
from .values import NIL, Cell, Environment, Pair, Symbol, error, sym


class Library:
    def __init__(self, name: tuple[Any, ...], exports: dict[Symbol, Any], body: Any = None,
                 top: TopEnv | None = None, deps: list[Library] | None = None) -> None:
        self.name = name
        self.exports = exports
        self.body = body
        self.top = top
        self.deps = deps or []
        self.state = "ready" if body is None else "idle"
        self.owner: Any = None

    def __repr__(self) -> str:
        return f"Library({library_name_text(self.name)})"


def library_name_text(name: tuple[Any, ...]) -> str:
    return "(" + " ".join(str(p) for p in name) + ")"


def parse_library_name(x: Any) -> tuple[Any, ...]:
    x = strip(x)
    parts: list[Any] = []
    while type(x) is Pair:
        part = x.car
        if type(part) is Symbol:
            parts.append(part.name)
        elif type(part) is int and part >= 0:
            parts.append(part)
        else:
            raise error("a library name is a list of identifiers and exact integers", x, kind="syntax")
        x = x.cdr
    if x is not NIL or not parts:
        raise error("bad library name", x, kind="syntax")
    return tuple(parts)


# ---------------------------------------------------------------- R7RS appendix A

_SYNTAX_BASE = """
_ ... => else and begin case cond cond-expand define define-record-type define-syntax define-values do guard
if import include include-ci lambda let let* let*-values let-syntax let-values letrec letrec* letrec-syntax
or parameterize quasiquote quote set! syntax-error syntax-rules unless unquote unquote-splicing when
"""
_BASE = """
* + - / < <= = > >= abs append apply assoc assq assv binary-port? boolean=? boolean? bytevector
bytevector-append bytevector-copy bytevector-copy! bytevector-length bytevector-u8-ref bytevector-u8-set!
bytevector? caar cadr call-with-current-continuation call-with-port call-with-values call/cc car cdar cddr
cdr ceiling char->integer char-ready? char<=? char<? char=? char>=? char>? char? close-input-port
close-output-port close-port complex? cons current-error-port current-input-port current-output-port
denominator dynamic-wind eof-object eof-object? eq? equal? eqv? error error-object-irritants
error-object-message error-object? even? exact exact-integer-sqrt exact-integer? exact? expt features
file-error? floor floor-quotient floor-remainder floor/ flush-output-port for-each gcd get-output-bytevector
get-output-string inexact inexact? input-port-open? input-port? integer->char integer? lcm length list
list->string list->vector list-copy list-ref list-set! list-tail list? make-bytevector make-list
make-parameter make-string make-vector map max member memq memv min modulo negative? newline not null?
number->string number? numerator odd? open-input-bytevector open-input-string open-output-bytevector
open-output-string output-port-open? output-port? pair? peek-char port? peek-u8 positive? procedure? quotient
raise raise-continuable rational? rationalize read-bytevector read-bytevector! read-char read-error?
read-line read-string read-u8 real? remainder reverse round set-car! set-cdr! square string string->list
string->number string->symbol string->utf8 string->vector string-append string-copy string-copy!
string-fill! string-for-each string-length string-map string-ref string-set! string<=? string<? string=?
string>=? string>? string? substring symbol->string symbol=? symbol? textual-port? truncate
truncate-quotient truncate-remainder truncate/ u8-ready? utf8->string values vector vector->list
vector->string vector-append vector-copy vector-copy! vector-fill! vector-for-each vector-length
vector-map vector-ref vector-set! vector? with-exception-handler write-bytevector write-char write-string
write-u8 zero?
"""
STANDARD = {
    ("scheme", "base"): _SYNTAX_BASE + _BASE,
    ("scheme", "case-lambda"): "case-lambda",
    ("scheme", "char"): """char-alphabetic? char-ci<=? char-ci<? char-ci=? char-ci>=? char-ci>? char-downcase
        char-foldcase char-lower-case? char-numeric? char-upcase char-upper-case? char-whitespace? digit-value
        string-ci<=? string-ci<? string-ci=? string-ci>=? string-ci>? string-downcase string-foldcase
        string-upcase""",
    ("scheme", "complex"): "angle imag-part magnitude make-polar make-rectangular real-part",
    ("scheme", "cxr"): """caaar caadr cadar caddr cdaar cdadr cddar cdddr caaaar caaadr caadar caaddr cadaar
        cadadr caddar cadddr cdaaar cdaadr cdadar cdaddr cddaar cddadr cdddar cddddr""",
    ("scheme", "eval"): "environment eval",
    ("scheme", "file"): """call-with-input-file call-with-output-file delete-file file-exists?
        open-binary-input-file open-binary-output-file open-input-file open-output-file with-input-from-file
        with-output-to-file""",
    ("scheme", "inexact"): "acos asin atan cos exp finite? infinite? log nan? sin sqrt tan",
    ("scheme", "lazy"): "delay delay-force force make-promise promise?",
    ("scheme", "load"): "load",
    ("scheme", "process-context"): """command-line emergency-exit exit get-environment-variable
        get-environment-variables""",
    ("scheme", "read"): "read",
    ("scheme", "repl"): "interaction-environment",
    ("scheme", "time"): "current-jiffy current-second jiffies-per-second",
    ("scheme", "write"): "display write write-shared write-simple",
}
_R5RS_EXTRA = "null-environment scheme-report-environment exact->inexact inexact->exact"
#: Extensions in every default environment (programs without an import form): (osvm extras)
EXTRAS = """cons* last-pair list-index string-index string-contains string-join gensym void
    call-with-output-string with-output-to-string error-object-kind exact-rational? assert
    list-sort sort vector-sort filter reduce fold-left fold-right delete remove iota any every
    append-map filter-map procedure-arity-includes? 1+ -1+"""

_BASE_ENV: TopEnv | None = None
_LIBRARIES: dict[tuple[Any, ...], Library] = {}


def base_env() -> TopEnv:
    global _BASE_ENV
    if _BASE_ENV is None:
        _BASE_ENV = _build_base()
    return _BASE_ENV


def _build_base() -> TopEnv:
    from . import osvmlib, primitives  # noqa: F401  (register every primitive and keyword)
    from .primitives.registry import PRIMITIVES

    top = TopEnv("(scheme base)")
    for name, special in SPECIALS.items():
        top.table[sym(name)] = special
    for name, proc in PRIMITIVES.items():
        cell = Cell(name)
        cell.value = proc
        cell.frozen = True
        top.table[sym(name)] = cell
    text = resources.files("osvm_vm_scheme").joinpath("prelude.scm").read_text(encoding="utf-8")
    from .reader import Reader
    reader = Reader(text, "prelude.scm")
    forms = reader.read_all()
    unit = Unit(None, "prelude.scm")
    unit.add_reader(reader, forms)
    body = Compiler(unit).comp_program(forms, top)
    run_standalone(body)
    for binding in top.table.values():
        if type(binding) is Cell:
            binding.frozen = True
    for lib_name, names in STANDARD.items():
        _LIBRARIES[lib_name] = Library(lib_name, _select(top, names, lib_name))
    osvm = _osvm_library(top)
    _LIBRARIES[("osvm",)] = osvm
    everything: dict[Symbol, Any] = {}
    for lib in _LIBRARIES.values():
        everything.update(lib.exports)
    everything.update(_select_dict(top, _R5RS_EXTRA))
    _LIBRARIES[("scheme", "r5rs")] = Library(("scheme", "r5rs"), everything)
    _LIBRARIES[("osvm", "extras")] = Library(("osvm", "extras"), _select_dict(top, EXTRAS, strict=False))
    return top


def _select(top: TopEnv, names: str, lib_name: tuple[Any, ...]) -> dict[Symbol, Any]:
    return _select_dict(top, names, where=library_name_text(lib_name))


def _select_dict(top: TopEnv, names: str, *, strict: bool = True, where: str = "") -> dict[Symbol, Any]:
    out: dict[Symbol, Any] = {}
    for name in names.split():
        s = sym(name)
        binding = top.table.get(s)
        if binding is None or (type(binding) is Cell and not binding.bound()):
            if strict:
                raise RuntimeError(f"standard library {where} names {name}, which is not defined")
            continue
        out[s] = binding
    return out


def _osvm_library(top: TopEnv) -> Library:
    from .osvmlib import OSVM_NAMES
    return Library(("osvm",), _select_dict(top, OSVM_NAMES, where="(osvm)"))


def run_standalone(body: Any, budget: int = 50_000_000) -> Any:
    """Run code outside any system (the prelude): no system calls allowed."""
    from .compiler import Simple
    if type(body) is Simple:
        return body.ev(None)
    ctx = Context(None, body, HaltFrame())
    what, _used, detail = run(ctx, budget)
    if what == "finished":
        return detail
    if what == "fault":
        from .machine import describe_payload
        raise RuntimeError(f"prelude failed: {describe_payload(detail.payload)}")
    raise RuntimeError(f"prelude stopped: {what}")


def standard_libraries() -> dict[tuple[Any, ...], Library]:
    base_env()
    return _LIBRARIES


def default_imports(top: TopEnv) -> None:
    """A program without an import form sees every standard library, (osvm) and (osvm extras)."""
    libs = standard_libraries()
    for lib in libs.values():
        for s, b in lib.exports.items():
            top.import_binding(s, b)


# ---------------------------------------------------------------- finding libraries


def find_library(name: tuple[Any, ...], c: Compiler | None, *, load: bool = True) -> Library | None:
    libs = standard_libraries()
    if name in libs:
        return libs[name]
    vm = c.unit.vm if c is not None else None
    if vm is None:
        return None
    found = vm.libraries.get(name)
    if found is not None or not load:
        return found
    dirs = [c.unit.base_dir, *[Path(p) for p in vm.library_path]]
    rel = Path(*[str(p) for p in name])
    for d in dirs:
        for ext in (".sld", ".scm"):
            path = d / rel.with_suffix(ext) if len(name) > 0 else None
            if path is not None and path.is_file():
                vm.load_library_file(path)
                found = vm.libraries.get(name)
                if found is not None:
                    return found
    return None


def library_exists(name: tuple[Any, ...], c: Compiler) -> bool:
    return find_library(name, c) is not None


# ---------------------------------------------------------------- import


def import_set(c: Compiler, spec: Any) -> tuple[dict[Symbol, Any], Library]:
    spec_s = strip(spec)
    if type(spec_s) is Pair and type(spec_s.car) is Symbol and type(spec_s.cdr) is Pair \
            and type(spec_s.cdr.car) is Pair:
        head = spec_s.car.name
        if head in ("only", "except", "prefix", "rename"):
            inner, lib = import_set(c, spec_s.cdr.car)
            args = _list_items(spec_s.cdr.cdr, head)
            if head == "only":
                missing = [a.name for a in args if a not in inner]
                if missing:
                    raise c.fail(f"import: {library_name_text(lib.name)} does not export {' '.join(missing)}")
                return {a: inner[a] for a in args}, lib
            if head == "except":
                return {k: v for k, v in inner.items() if k not in args}, lib
            if head == "prefix":
                prefix = args[0].name
                return {sym(prefix + k.name): v for k, v in inner.items()}, lib
            renamed = dict(inner)
            for pair in args:
                old, new = _list_items(pair, "rename")
                if old not in renamed:
                    raise c.fail(f"import: cannot rename {old.name}: not exported")
                renamed[new] = renamed.pop(old)
            return renamed, lib
    name = parse_library_name(spec_s)
    lib = find_library(name, c)
    if lib is None:
        raise c.fail(f"import: no library named {library_name_text(name)}")
    return dict(lib.exports), lib


def process_import(c: Compiler, form: Any, top: TopEnv) -> None:
    for spec in _list_items(form.cdr, "import"):
        bindings, lib = import_set(c, spec)
        for s, b in bindings.items():
            top.import_binding(s, b)
        _needs(top, lib)


def _needs(top: TopEnv, lib: Library) -> None:
    if lib.body is None:
        return
    for dep in lib.deps:
        _needs(top, dep)
    if lib not in top.libraries:
        top.libraries.append(lib)


# ---------------------------------------------------------------- define-library


def define_library(c: Compiler, form: Any) -> Library:
    items = _list_items(form.cdr, "define-library")
    if not items:
        raise c.fail("define-library: missing library name")
    name = parse_library_name(items[0])
    vm = c.unit.vm
    top = TopEnv(library_name_text(name), vm)
    exports: list[tuple[Symbol, Symbol]] = []
    body: list[Any] = []
    declarations = list(items[1:])
    while declarations:
        decl = declarations.pop(0)
        if type(decl) is not Pair or not is_ident(decl.car):
            raise c.fail("define-library: bad declaration", decl)
        head = base_symbol(decl.car).name
        if head == "export":
            for spec in _list_items(decl.cdr, "export"):
                spec = strip(spec)
                if type(spec) is Symbol:
                    exports.append((spec, spec))
                else:
                    parts = _list_items(spec, "export")
                    if len(parts) != 3 or parts[0] is not sym("rename"):
                        raise c.fail("export: expected a name or (rename internal external)", spec)
                    exports.append((parts[1], parts[2]))
        elif head == "import":
            process_import(c, decl, top)
        elif head == "begin":
            body.extend(_list_items(decl.cdr, "begin"))
        elif head in ("include", "include-ci"):
            body.extend(read_include(c, decl, head == "include-ci"))
        elif head == "include-library-declarations":
            declarations[0:0] = read_include(c, decl, False)
        elif head == "cond-expand":
            declarations[0:0] = cond_expand_body(c, decl)
        else:
            raise c.fail(f"define-library: unknown declaration {head}")
    sub = Compiler(c.unit)
    code = sub.comp_program(body, top)
    table: dict[Symbol, Any] = {}
    for internal, external in exports:
        binding = top.table.get(internal)
        if binding is None:
            binding = top.cell_for(internal)
        table[external] = binding
    lib = Library(name, table, sub.node(code), top, list(top.libraries))
    if vm is not None:
        vm.libraries[name] = lib
    else:
        _LIBRARIES[name] = lib
    return lib


# ---------------------------------------------------------------- environments for eval


def make_environment(specs: list[Any], vm: Any) -> Environment:
    top = TopEnv("environment", vm)
    unit = Unit(vm, "<environment>")
    c = Compiler(unit)
    for spec in specs:
        bindings, lib = import_set(c, spec)
        for s, b in bindings.items():
            top.import_binding(s, b)
    return Environment(top)


_INTERACTION: Environment | None = None


def interaction_environment(vm: Any) -> Environment:
    global _INTERACTION
    if vm is not None:
        if vm.repl_env is None:
            top = TopEnv("interaction", vm)
            default_imports(top)
            vm.repl_env = Environment(top)
        return vm.repl_env
    if _INTERACTION is None:
        top = TopEnv("interaction")
        default_imports(top)
        _INTERACTION = Environment(top)
    return _INTERACTION

