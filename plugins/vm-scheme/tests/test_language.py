"""The language: small programs and what they print."""

from __future__ import annotations

import pytest

CASES = {
    "tail calls in a long loop": (
        "(define (loop i acc) (if (= i 0) acc (loop (- i 1) (+ acc 1))))"
        "(write (loop 200000 0))", "200000"),
    "mutual tail recursion": (
        "(define (ev? n) (if (= n 0) #t (od? (- n 1)))) (define (od? n) (if (= n 0) #f (ev? (- n 1))))"
        "(write (ev? 100001))", "#f"),
    "tail call through apply and cond": (
        "(define (f n) (cond ((= n 0) 'done) (else (apply f (list (- n 1)))))) (write (f 50000))", "done"),
    "deep non-tail recursion": (
        "(define (count n) (if (= n 0) 0 (+ 1 (count (- n 1))))) (write (count 50000))", "50000"),
    "bignums and rationals": (
        "(write (list (expt 2 100) (/ 6 4) (exact->inexact 1/4) (* 1/3 3) (exact (floor 2.5))))",
        "(1267650600228229401496703205376 3/2 0.25 1 2)"),
    "exact integer division": (
        "(write (list (quotient -7 2) (remainder -7 2) (modulo -7 2)"
        " (call-with-values (lambda () (exact-integer-sqrt 17)) list)))",
        "(-3 -1 1 (4 1))"),
    "call/cc escape": (
        "(write (call/cc (lambda (k) (for-each (lambda (x) (if (> x 2) (k x))) '(1 2 3 4)) 'none)))", "3"),
    "call/cc re-entry": (
        "(define k #f) (define n 0)"
        "(write (+ 1 (call/cc (lambda (c) (set! k c) 1))))"
        "(set! n (+ n 1)) (if (< n 3) (k n))", "223"),
    "generators with call/cc": (
        "(define (make-gen lst) (define return #f) (define resume #f)"
        " (define (start) (for-each (lambda (x) (call/cc (lambda (next) (set! resume next) (return x)))) lst)"
        "   (return 'done))"
        " (lambda () (call/cc (lambda (r) (set! return r) (if resume (resume #f) (start))))))"
        "(define g (make-gen '(a b c))) (write (list (g) (g) (g) (g)))", "(a b c done)"),
    "dynamic-wind with escapes": (
        "(define trail '()) (define (note x) (set! trail (cons x trail)))"
        "(call/cc (lambda (k) (dynamic-wind (lambda () (note 'in)) (lambda () (k 'out)) (lambda () (note 'after)))))"
        "(write (reverse trail))", "(in after)"),
    "multiple values": (
        "(call-with-values (lambda () (values 1 2 3)) (lambda (a b c) (write (list c b a))))"
        "(let-values (((q r) (floor/ 17 5)) ((x) (values 'x))) (write (list q r x)))"
        "(define-values (p . rest) (values 1 2 3)) (write (list p rest))", "(3 2 1)(3 2 x)(1 (2 3))"),
    "exceptions: raise-continuable and handlers": (
        "(write (with-exception-handler (lambda (c) 10) (lambda () (+ 1 (raise-continuable 'oops)))))"
        "(write (guard (e ((symbol? e) (list 'caught e))) (raise 'boom)))"
        "(write (guard (e ((string? e) e) ((error-object? e) (error-object-irritants e))) (error \"bad\" 1 2)))"
        "(write (guard (e (#t (error-object-message e))) (car 5)))",
        '11(caught boom)(1 2)"car: not a pair"'),
    "guard re-raises to an outer handler": (
        "(write (guard (outer (#t (list 'outer outer))) (guard (inner ((number? inner) 'num)) (raise 'sym))))",
        "(outer sym)"),
    "syntax-rules hygiene": (
        "(define-syntax my-or (syntax-rules () ((_) #f) ((_ e) e) ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))"
        "(define t 5) (write (my-or #f t))"
        "(define-syntax swap! (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))"
        "(define tmp 1) (define y 2) (swap! tmp y) (write (list tmp y))"
        "(write (let ((if list)) (my-or #f 'ok)))", "5(2 1)ok"),
    "syntax-rules ellipsis forms": (
        "(define-syntax lets (syntax-rules () ((_ ((n v) ...) b ...) ((lambda (n ...) b ...) v ...))))"
        "(write (lets ((a 1) (b 2)) (+ a b)))"
        "(define-syntax flat (syntax-rules () ((_ (a ...) ...) '(a ... ...))))"
        "(write (flat (1 2) (3) ()))"
        "(define-syntax tail (syntax-rules () ((_ a ... z) 'z)))(write (tail 1 2 3))", "3(1 2 3)3"),
    "records": (
        "(define-record-type point (make-point x y) point? (x point-x set-point-x!) (y point-y))"
        "(define p (make-point 1 2)) (set-point-x! p 10)"
        "(write (list (point? p) (point? 5) (point-x p) (point-y p)))", "(#t #f 10 2)"),
    "parameters": (
        "(define p (make-parameter 10 (lambda (x) (* x 2))))"
        "(write (list (p) (parameterize ((p 3)) (p)) (p)))", "(20 6 20)"),
    "case-lambda": (
        "(define f (case-lambda ((a) (list 'one a)) ((a b) (list 'two a b)) ((a . r) (list 'many a r))))"
        "(write (list (f 1) (f 1 2) (f 1 2 3)))", "((one 1) (two 1 2) (many 1 (2 3)))"),
    "strings and characters": (
        "(define s (make-string 3 #\\a)) (string-set! s 1 #\\b)"
        "(write (list s (string-upcase \"héllo\") (string->list \"ab\") (char->integer #\\λ)"
        " (string->number \"#xff\") (number->string 255 2) (string-append \"a\" \"b\")))",
        '("aba" "HÉLLO" (#\\a #\\b) 955 255 "11111111" "ab")'),
    "vectors and bytevectors": (
        "(define v (make-vector 3 0)) (vector-set! v 0 'x) (vector-fill! v 'z 1)"
        "(define b (bytevector 1 2 3)) (bytevector-u8-set! b 0 255)"
        "(write (list v (vector-map + #(1 2) #(10 20)) b (utf8->string (string->utf8 \"λx\"))))",
        '(#(x z z) #(11 22) #u8(255 2 3) "λx")'),
    "quasiquote": (
        "(define x 5) (write `(a ,x ,@(list 1 2) #(v ,x) (nested `(q ,(u ,x)))))",
        "(a 5 1 2 #(v 5) (nested (quasiquote (q (unquote (u 5))))))"),
    "lazy evaluation": (
        "(define (ints n) (delay-force (if (> n 100000) (delay n) (ints (+ n 1)))))"
        "(define c 0) (define p (delay (begin (set! c (+ c 1)) c)))"
        "(write (list (force (ints 0)) (force p) (force p) c (promise? p)))", "(100001 1 1 1 #t)"),
    "internal definitions and letrec": (
        "(define (f x) (define a (* x 2)) (define (g y) (+ a y)) (g 1))"
        "(write (letrec ((even? (lambda (n) (if (= n 0) #t (odd? (- n 1))))) (odd? (lambda (n) (if (= n 0) #f "
        "(even? (- n 1)))))) (list (f 5) (even? 10))))", "(11 #t)"),
    "do loops and named let": (
        "(write (do ((i 0 (+ i 1)) (acc '() (cons i acc))) ((= i 4) acc)))"
        "(write (let loop ((i 0) (s 0)) (if (> i 10) s (loop (+ i 1) (+ s i)))))", "(3 2 1 0)55"),
    "string ports and read": (
        "(define p (open-input-string \"(1 2) foo \\\"bar\\\"\"))"
        "(write (list (read p) (read p) (read p) (eof-object? (read p))))"
        "(define o (open-output-string)) (write 'x o) (display \" y\" o) (write (get-output-string o))",
        '((1 2) foo "bar" #t)"x y"'),
    "eval and environments": (
        "(write (eval '(* 6 7) (environment '(scheme base))))"
        "(eval '(define zz 9) (interaction-environment)) (write (eval 'zz (interaction-environment)))", "429"),
    "equality": (
        "(write (list (eqv? 2.0 2) (equal? '(1 #(2 \"x\")) (list 1 (vector 2 \"x\"))) (eq? 'a 'a)"
        " (eqv? 100000000000 100000000000) (equal? 1/2 0.5)))", "(#f #t #t #t #f)"),
    "write with cycles and shared structure": (
        "(define l (list 1 2)) (set-cdr! (cdr l) l) (write l) (define s (list 'x))"
        "(write-shared (list s s)) (write (list s s))", "#0=(1 2 . #0#)(#0=(x) #0#)((x) (x))"),
    "display": ("(display (list \"a\" #\\b 'c 1.5 (vector \"d\")))", "(a b c 1.5 #(d))"),
    "assoc and member with predicates": (
        "(write (list (assoc 2.0 '((1 one) (2 two)) =) (member 2.0 '(1 2 3) =) (assq 'b '((a 1) (b 2)))))",
        "((2 two) (2 3) (b 2))"),
    "exit runs dynamic-wind afters": (
        "(dynamic-wind (lambda () #f) (lambda () (exit 0)) (lambda () (display \"after\")))", "after"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_program_output(scheme, name):
    source, expected = CASES[name]
    result = scheme(source)
    assert not result.notes, result.notes
    assert result.output == expected


def test_define_library_in_the_program_file(scheme):
    source = """
    (define-library (util counter)
      (export make-counter (rename counter-value value))
      (import (scheme base))
      (begin
        (define-record-type counter (new n) counter? (n counter-value set-n!))
        (define (make-counter) (let ((c (new 0))) (lambda () (set-n! c (+ 1 (counter-value c))) c)))))
    (import (scheme base) (scheme write) (util counter))
    (define tick (make-counter))
    (tick) (tick)
    (write (value (tick)))
    """
    result = scheme(source)
    assert result.output == "3" and not result.notes


def test_libraries_from_sld_files_with_import_sets(scheme):
    files = {"lib/geometry.sld": """
        (define-library (lib geometry)
          (export area perimeter shape-note)
          (import (scheme base))
          (begin
            (define shape-note "squares")
            (define (area s) (* s s))
            (define (perimeter s) (* 4 s))))"""}
    source = """
    (import (scheme base) (scheme write) (prefix (only (lib geometry) area shape-note) geo:)
            (rename (lib geometry) (perimeter around)))
    (write (list (geo:area 3) (around 3) geo:shape-note))
    """
    result = scheme(source, files=files)
    assert result.output == '(9 12 "squares")' and not result.notes


def test_library_macros_stay_hygienic(scheme):
    files = {"my/macros.sld": """
        (define-library (my macros)
          (export while)
          (import (scheme base))
          (begin
            (define-syntax while
              (syntax-rules ()
                ((_ c body ...) (let lp () (when c body ... (lp))))))))"""}
    source = """
    (import (scheme base) (scheme write) (my macros))
    (define lp 0) (define i 0)
    (while (< i 5) (set! i (+ i 1)) (set! lp (+ lp i)))
    (write (list i lp))
    """
    result = scheme(source, files=files)
    assert result.output == "(5 15)" and not result.notes


def test_program_without_import_sees_every_standard_library(scheme):
    result = scheme("(write (list (sqrt 16) (char-upcase #\\a) (caddr '(1 2 3)) (exact->inexact 1/2)))")
    assert result.output == "(4 #\\A 3 0.5)"


def test_imports_limit_what_a_program_sees(scheme):
    result = scheme("(import (scheme base)) (display 1)")
    assert "unbound variable: display" in result.notes[0]


def test_imported_bindings_cannot_be_assigned(scheme):
    from osvm_vm_scheme.vm import LoadError
    with pytest.raises(LoadError, match="car is an imported binding"):
        scheme("(import (scheme base)) (set! car cdr)")


def test_a_program_may_redefine_a_standard_name(scheme):
    result = scheme("(define (square x) (list 'sq x)) (write (map square '(1 2)))")
    assert result.output == "((sq 1) (sq 2))"


def test_include_reads_files_next_to_the_program(scheme):
    result = scheme('(include "part.scm") (write (twice 21))', files={"part.scm": "(define (twice x) (* 2 x))"})
    assert result.output == "42"
