(import (scheme base) (scheme write))
(define-syntax swap!
  (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define tmp 1) (define other 2)
(swap! tmp other)
(write (list tmp other)) (newline)
(define-syntax my-or
  (syntax-rules () ((_) #f) ((_ e) e) ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(define t 5)
(write (my-or #f t)) (newline)
(define-syntax while
  (syntax-rules ()
    ((_ cond body ...) (let lp () (when cond body ... (lp))))))
(define i 0) (define total 0)
(while (< i 10) (set! total (+ total i)) (set! i (+ i 1)))
(write total) (newline)
(define-syntax my-let*
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((x v) rest ...) body ...) (let ((x v)) (my-let* (rest ...) body ...)))))
(write (my-let* ((a 1) (b (+ a 1)) (c (* b 3))) (list a b c))) (newline)
(define-syntax for
  (syntax-rules (in)
    ((_ x in lst body ...) (for-each (lambda (x) body ...) lst))))
(for x in '(1 2 3) (display (* x x)) (display " "))
(newline)
(define-syntax unless2
  (syntax-rules () ((_ c e ...) (if c #f (begin e ...)))))
(write (let ((if list)) (unless2 #f 'ran))) (newline)
(define-syntax nested
  (syntax-rules () ((_ (a b ...) ...) '((a ...) (b ... ...)))))
(write (nested (1 2 3) (4 5) (6))) (newline)
(define-syntax count-args
  (syntax-rules () ((_) 0) ((_ x rest ...) (+ 1 (count-args rest ...)))))
(write (count-args a b c d)) (newline)
(let-syntax ((foo (syntax-rules () ((_ x) (* x 2)))))
  (write (foo 21)) (newline))
(define-syntax kons (syntax-rules () ((_ a b) (cons a b))))
(write (kons 1 (kons 2 '()))) (newline)
(define-syntax vec-of (syntax-rules () ((_ x ...) (vector x ...))))
(write (vec-of 1 (+ 1 1) 'three)) (newline)
