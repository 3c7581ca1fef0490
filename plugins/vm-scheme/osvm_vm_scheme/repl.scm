;;; The read-eval-print loop of `osvm exec scheme` (no program): read a datum from the console,
;;; evaluate it in the interaction environment, write the results. Errors are reported and the
;;; loop goes on; the end of the console input ends it.
(import (scheme base) (scheme write) (scheme read) (scheme eval) (scheme repl))

(define env (interaction-environment))
(define nothing (if #f #f))

(define (report-error e)
  (display "error: ")
  (if (error-object? e)
      (begin
        (display (error-object-message e))
        (for-each (lambda (x) (display " ") (write x)) (error-object-irritants e)))
      (begin (display "uncaught exception: ") (write e)))
  (newline))

(define (print-results . results)
  (for-each (lambda (r) (if (not (eq? r nothing)) (begin (write r) (newline)))) results))

(let loop ()
  (display "> ")
  (flush-output-port)
  (let ((form (guard (e (#t (report-error e) nothing)) (read))))
    (cond ((eof-object? form) (newline))
          (else
           (if (not (eq? form nothing))
               (guard (e (#t (report-error e)))
                 (call-with-values (lambda () (eval form env)) print-results)))
           (loop)))))
