"""Bad input: reader and syntax errors at load time, runtime errors with a Scheme backtrace."""

from __future__ import annotations

import pytest
from scheme_support import scheme_toml

from osvm_vm_scheme.vm import LoadError


def test_reader_error_names_file_line_and_column(scheme):
    with pytest.raises(LoadError) as info:
        scheme('(define (f x)\n  (display "x)\n', name="broken.scm")
    assert "broken.scm:2:12: read error: unterminated string" in str(info.value)


def test_unbalanced_parenthesis_is_reported_where_the_list_opens(scheme):
    with pytest.raises(LoadError) as info:
        scheme("(display 1)\n\n   (define (g)\n     (+ 1 2)\n", name="open.scm")
    assert "open.scm:3:4: read error: unterminated list" in str(info.value)


def test_syntax_error_names_the_line(scheme):
    with pytest.raises(LoadError) as info:
        scheme("(define x 1)\n(if)\n", name="syn.scm")
    assert "syn.scm:2:" in str(info.value) and "if" in str(info.value)


def test_macro_without_matching_rule_names_the_use(scheme):
    with pytest.raises(LoadError) as info:
        scheme("(define-syntax two (syntax-rules () ((_ a b) (list a b))))\n\n(two 1)\n", name="m.scm")
    message = str(info.value)
    assert "m.scm:3:" in message and "no syntax rule matches (two 1)" in message


PROGRAM = """(define (safe-div a b) (/ a b))
(define (average xs)
  (let ((n (length xs)))
    (+ 0 (safe-div (apply + xs) n))))
(define (report xs)
  (display "average: ")
  (display (average xs))
  (newline))
(report '(1 2 3))
(report '())
(display "never")
"""


def test_runtime_error_gives_a_backtrace_with_procedure_names(scheme):
    result = scheme(PROGRAM, name="avg.scm")
    assert result.output == "average: 2\naverage: "
    assert len(result.notes) == 1
    note = result.notes[0]
    assert "task 'main' (vm scheme) faulted" in note
    assert "/: division by zero" in note
    lines = note.splitlines()
    assert "Scheme backtrace (innermost first):" in lines
    names = [line.strip() for line in lines[lines.index("Scheme backtrace (innermost first):") + 1:]]
    assert names[0].startswith("in safe-div (") and "avg.scm:1" in names[0]
    assert names[1].startswith("in average (") and "avg.scm:4" in names[1]
    assert names[2].startswith("in report (") and "avg.scm:7" in names[2]
    assert result.task("main").fault is not None


def test_deep_recursion_backtrace_is_summarised(scheme):
    result = scheme("(define (down n) (if (= n 0) (car '()) (+ 1 (down (- n 1)))))\n(down 500)", name="d.scm")
    note = result.notes[0]
    assert "car: not a pair" in note
    assert "... 500 more in down (d.scm:1)" in note
    assert len(note.splitlines()) < 12


def test_a_faulting_task_ends_alone(compose):
    files = {"bad.scm": "(display \"bad starts\\n\") (vector-ref (vector 1 2) 5)",
             "good.scm": "(let loop ((i 0)) (if (< i 3) (begin (display i) (newline) (loop (+ i 1)))))"}
    tasks = ("[[task]]\nname = 'bad'\nvm = 'scheme'\nentry = 'bad/main'\n"
             "[[task]]\nname = 'good'\nvm = 'scheme'\nentry = 'good/main'\n")
    result = compose(files, scheme_toml(["bad.scm", "good.scm"], tasks=tasks))
    assert result.report.reason == "finished"
    assert "vector-ref: index out of range: 5" in result.notes[0]
    assert len(result.notes) == 1
    assert result.output == "bad starts\n0\n1\n2\n"
    assert result.task("bad").fault is not None and result.task("good").fault is None


def test_uncaught_raise_of_a_non_error_object(scheme):
    result = scheme("(raise (list 'my-condition 42))")
    assert "uncaught exception: (my-condition 42)" in result.notes[0]


def test_unbound_variable_is_named(scheme):
    result = scheme("(define (f) (undefined-thing 1))\n(f)", name="u.scm")
    assert "unbound variable: undefined-thing" in result.notes[0]
    assert "in f (u.scm:1)" in result.notes[0]


def test_wrong_number_of_arguments(scheme):
    result = scheme("(define (two a b) a)\n(two 1)")
    assert "two: wrong number of arguments: 1 given, 2 expected" in result.notes[0]


def test_errors_inside_handlers_and_after_handlers_return(scheme):
    result = scheme("(with-exception-handler (lambda (e) 'ignored) (lambda () (car 1)))")
    assert "exception handler returned from a non-continuable raise" in result.notes[0]
