;;; A small test library of this project with the words r7rs-tests.scm needs from (chibi test).
;;; Each check prints nothing when it passes and a FAIL line when it fails; each group prints
;;; a GROUP line with the counts of the checks directly inside it. The runner reads these lines.
;;;   FAIL<tab>group<tab>expression<tab>what happened
;;;   GROUP<tab>name<tab>passed<tab>failed

(define-library (chibi test)
  (export test test-assert test-error test-values test-not test-equal test-begin test-end test-group
          current-test-epsilon)
  (import (scheme base) (scheme write) (scheme complex) (scheme inexact))
  (begin
    (define current-test-epsilon (make-parameter 1e-5))
    (define groups (list (vector "top" 0 0)))

    (define (group) (car groups))
    (define (count! index)
      (vector-set! (group) index (+ 1 (vector-ref (group) index))))

    (define (test-begin . name)
      (set! groups (cons (vector (if (pair? name) (car name) "group") 0 0) groups)))

    (define (test-end . name)
      (let ((g (group)))
        (display "GROUP\t") (display (vector-ref g 0)) (display "\t")
        (display (vector-ref g 1)) (display "\t") (display (vector-ref g 2)) (newline)
        (if (pair? (cdr groups)) (set! groups (cdr groups)))))

    (define-record-type <raised> (raised condition) raised? (condition raised-condition))

    (define (close? a b)
      (let ((epsilon (current-test-epsilon)))
        (<= (magnitude (- a b)) (* epsilon (max 1 (magnitude a) (magnitude b))))))

    (define (same? expected result)
      (cond ((equal? expected result) #t)
            ((and (number? expected) (number? result))
             (if (or (inexact? expected) (inexact? result))
                 (or (and (nan? expected) (nan? result))
                     (and (not (nan? expected)) (not (nan? result))
                          (if (and (real? expected) (real? result)
                                   (or (infinite? expected) (infinite? result)))
                              (= expected result)
                              (close? expected result))))
                 (equal? expected result)))
            ((and (pair? expected) (pair? result))
             (and (same? (car expected) (car result)) (same? (cdr expected) (cdr result))))
            ((and (vector? expected) (vector? result))
             (same? (vector->list expected) (vector->list result)))
            (else (equal? expected result))))

    (define (describe x)
      (if (raised? x)
          (let ((c (raised-condition x)))
            (if (error-object? c)
                (string-append "raised " (error-object-message c))
                (let ((out (open-output-string)))
                  (write c out)
                  (string-append "raised " (get-output-string out)))))
          (let ((out (open-output-string)))
            (write x out)
            (get-output-string out))))

    (define (fail! what message)
      (count! 2)
      (display "FAIL\t") (display (vector-ref (group) 0)) (display "\t")
      (write what) (display "\t") (display message) (newline))

    (define (attempt thunk)
      (guard (e (#t (raised e))) (thunk)))

    (define (check what expected-thunk thunk)
      (let ((expected (attempt expected-thunk))
            (result (attempt thunk)))
        (if (and (not (raised? result)) (same? expected result))
            (count! 1)
            (fail! what (string-append "expected " (describe expected) " but got " (describe result))))))

    (define (check-true what thunk)
      (let ((result (attempt thunk)))
        (if (and (not (raised? result)) result)
            (count! 1)
            (fail! what (string-append "expected true but got " (describe result))))))

    (define (check-error what thunk)
      (let ((result (attempt thunk)))
        (if (raised? result)
            (count! 1)
            (fail! what (string-append "expected an error but got " (describe result))))))

    (define-syntax test
      (syntax-rules ()
        ((_ name expected expr) (check 'expr (lambda () expected) (lambda () expr)))
        ((_ expected expr) (check 'expr (lambda () expected) (lambda () expr)))))

    (define-syntax test-equal
      (syntax-rules ()
        ((_ args ...) (test args ...))))

    (define-syntax test-assert
      (syntax-rules ()
        ((_ name expr) (check-true 'expr (lambda () expr)))
        ((_ expr) (check-true 'expr (lambda () expr)))))

    (define-syntax test-not
      (syntax-rules ()
        ((_ expr) (check-true '(not expr) (lambda () (not expr))))))

    (define-syntax test-error
      (syntax-rules ()
        ((_ name expr) (check-error 'expr (lambda () expr)))
        ((_ expr) (check-error 'expr (lambda () expr)))))

    (define-syntax test-values
      (syntax-rules ()
        ((_ expected expr)
         (check 'expr
                (lambda () (call-with-values (lambda () expected) list))
                (lambda () (call-with-values (lambda () expr) list))))))

    (define-syntax test-group
      (syntax-rules ()
        ((_ name body ...) (begin (test-begin name) body ... (test-end name)))))))
