"""``osvm exec scheme PROGRAM`` and the REPL of ``osvm exec scheme``."""

from __future__ import annotations


def test_exec_runs_a_program_and_its_exit_status_is_ours(osvm, tmp_path):
    program = tmp_path / "hello.scm"
    program.write_text('(import (scheme base) (scheme write) (scheme process-context))\n'
                       '(display "hello ") (write (cdr (command-line))) (newline) (exit 5)\n')
    result = osvm("exec", "scheme", str(program), "one", "two")
    assert result.stdout == 'hello ("one" "two")\n'
    assert result.exit_code == 5


def test_exec_reports_a_runtime_error_with_a_backtrace(osvm, tmp_path):
    program = tmp_path / "oops.scm"
    program.write_text("(define (first-of x) (car x))\n(define (go) (first-of 5) 'unreachable)\n(go)\n")
    result = osvm("exec", "scheme", str(program))
    assert result.exit_code == 1
    assert "car: not a pair: 5" in result.stderr
    assert "in first-of (oops.scm:1)" in result.stderr and "in go (oops.scm:2)" in result.stderr


def test_exec_reports_a_reader_error_with_line_and_column(osvm, tmp_path):
    program = tmp_path / "bad.scm"
    program.write_text("(display 1)\n(display #\\nonsense)\n")
    result = osvm("exec", "scheme", str(program))
    assert result.exit_code == 2
    assert "bad.scm:2:10: read error: unknown character name" in result.stderr


def test_exec_invoke_calls_an_export(osvm, tmp_path):
    program = tmp_path / "lib.scm"
    program.write_text('(import (scheme base) (scheme inexact) (osvm))\n'
                       '(define-export (hyp a b) "func(a: f64, b: f64) -> f64" (sqrt (+ (* a a) (* b b))))\n')
    result = osvm("exec", "scheme", str(program), "--invoke", "hyp", "3", "4")
    assert result.exit_code == 0 and result.stdout.strip() == "5.0"


def test_a_program_reads_standard_input_as_the_console(osvm, tmp_path):
    program = tmp_path / "sum.scm"
    program.write_text("(let loop ((total 0)) (let ((x (read))) (if (eof-object? x) (begin (write total) "
                       "(newline)) (loop (+ total x)))))\n")
    result = osvm("exec", "scheme", str(program), input="1 2\n3\n 4")
    assert result.stdout == "10\n"


def test_repl_evaluates_what_it_reads(osvm):
    session = "(define (sq x) (* x x))\n(sq 12)\n(car '())\n(values 1 \"two\")\n(display \"shown\")\n(+ 1\n 2)\n"
    result = osvm("exec", "scheme", input=session)
    assert result.exit_code == 0
    out = result.stdout
    assert "> 144\n" in out
    assert "error: car: not a pair ()" in out
    assert '1\n"two"\n' in out
    assert "shown" in out and "> 3\n" in out


def test_repl_survives_a_read_error(osvm):
    result = osvm("exec", "scheme", input="(display \"a\")\n#<bad>\n(display \"b\")\n")
    assert "error: read:" in result.stdout and result.stdout.count("b") >= 1
