;;; The part of the standard libraries written in Scheme: everything that calls procedures
;;; it is given (map, for-each, member with a predicate, ...) so that those calls are steps
;;; of the machine like any other, plus guard, parameters and promises.
;;; Names starting with % are internal (no library exports them).

;;; ------------------------------------------------------------ lists

(define (%cars lists)
  (if (null? lists) '() (cons (car (car lists)) (%cars (cdr lists)))))

(define (%cdrs lists)
  (if (null? lists) '() (cons (cdr (car lists)) (%cdrs (cdr lists)))))

(define (%all-pairs? lists)
  (cond ((null? lists) #t)
        ((pair? (car lists)) (%all-pairs? (cdr lists)))
        (else #f)))

(define (map f first . rest)
  (if (null? rest)
      (let loop ((l first) (acc '()))
        (if (pair? l)
            (loop (cdr l) (cons (f (car l)) acc))
            (reverse acc)))
      (let loop ((ls (cons first rest)) (acc '()))
        (if (%all-pairs? ls)
            (loop (%cdrs ls) (cons (apply f (%cars ls)) acc))
            (reverse acc)))))

(define (for-each f first . rest)
  (if (null? rest)
      (let loop ((l first))
        (if (pair? l)
            (begin (f (car l)) (loop (cdr l)))))
      (let loop ((ls (cons first rest)))
        (if (%all-pairs? ls)
            (begin (apply f (%cars ls)) (loop (%cdrs ls)))))))

(define (member x lst . compare)
  (if (null? compare)
      (%member x lst)
      (let ((same? (car compare)))
        (let loop ((l lst))
          (cond ((not (pair? l)) #f)
                ((same? x (car l)) l)
                (else (loop (cdr l))))))))

(define (assoc x alist . compare)
  (if (null? compare)
      (%assoc x alist)
      (let ((same? (car compare)))
        (let loop ((l alist))
          (cond ((not (pair? l)) #f)
                ((same? x (car (car l))) (car l))
                (else (loop (cdr l))))))))

;;; ------------------------------------------------------------ strings and vectors

(define (string-map f s . rest)
  (if (null? rest)
      (list->string (map f (string->list s)))
      (list->string (apply map f (string->list s) (map string->list rest)))))

(define (string-for-each f s . rest)
  (if (null? rest)
      (let ((n (string-length s)))
        (let loop ((i 0))
          (if (< i n)
              (begin (f (string-ref s i)) (loop (+ i 1))))))
      (begin (apply for-each f (string->list s) (map string->list rest)) (if #f #f))))

(define (vector-map f v . rest)
  (if (null? rest)
      (let* ((n (vector-length v)) (out (make-vector n)))
        (let loop ((i 0))
          (if (< i n)
              (begin (vector-set! out i (f (vector-ref v i))) (loop (+ i 1)))
              out)))
      (list->vector (apply map f (vector->list v) (map vector->list rest)))))

(define (vector-for-each f v . rest)
  (if (null? rest)
      (let ((n (vector-length v)))
        (let loop ((i 0))
          (if (< i n)
              (begin (f (vector-ref v i)) (loop (+ i 1))))))
      (begin (apply for-each f (vector->list v) (map vector->list rest)) (if #f #f))))

;;; ------------------------------------------------------------ parameters

(define (make-parameter value . converter)
  (if (null? converter)
      (%make-parameter value #f)
      (%make-parameter ((car converter) value) (car converter))))

(define (%parameterize params values body)
  (%with-params params
                (map (lambda (p v)
                       (let ((convert (%parameter-converter p)))
                         (if convert (convert v) v)))
                     params values)
                body))

;;; ------------------------------------------------------------ promises

(define (force p)
  (if (promise? p)
      (let loop ()
        (if (%promise-done? p)
            (%promise-value p)
            (let ((next ((%promise-value p))))
              (if (not (%promise-done? p))
                  (%promise-update! (make-promise next) p))
              (loop))))
      p))

;;; ------------------------------------------------------------ exceptions

;; The body runs with a handler that first leaves for the guard's continuation (running
;; dynamic-wind afters), then tries the clauses there; when none applies, it goes back
;; into the dynamic extent of the raise and passes the condition on with raise-continuable.
(define (%guard body handler)
  ((call/cc
    (lambda (at-guard)
      (with-exception-handler
       (lambda (condition)
         ((call/cc
           (lambda (at-raise)
             (at-guard
              (lambda ()
                (handler condition
                         (lambda ()
                           (at-raise (lambda () (raise-continuable condition)))))))))))
       (lambda ()
         (call-with-values body
           (lambda results
             (at-guard (lambda () (apply values results)))))))))))

(define-syntax %guard-clauses
  (syntax-rules (else =>)
    ((_ reraise) (reraise))
    ((_ reraise (else e1 e2 ...)) (begin e1 e2 ...))
    ((_ reraise (test => receiver) clause ...)
     (let ((value test))
       (if value (receiver value) (%guard-clauses reraise clause ...))))
    ((_ reraise (test) clause ...)
     (let ((value test))
       (if value value (%guard-clauses reraise clause ...))))
    ((_ reraise (test e1 e2 ...) clause ...)
     (if test (begin e1 e2 ...) (%guard-clauses reraise clause ...)))))

(define-syntax guard
  (syntax-rules ()
    ((_ (var clause ...) e1 e2 ...)
     (%guard (lambda () e1 e2 ...)
             (lambda (var reraise) (%guard-clauses reraise clause ...))))))

(define-syntax assert
  (syntax-rules ()
    ((_ expr) (if expr #t (error "assertion failed" 'expr)))))

;;; ------------------------------------------------------------ ports

(define (call-with-port port proc)
  (call-with-values (lambda () (proc port))
    (lambda results (close-port port) (apply values results))))

(define (call-with-input-file name proc)
  (call-with-port (open-input-file name) proc))

(define (call-with-output-file name proc)
  (call-with-port (open-output-file name) proc))

(define (with-input-from-file name thunk)
  (let ((port (open-input-file name)))
    (call-with-values
        (lambda () (%with-params (list current-input-port) (list port) thunk))
      (lambda results (close-port port) (apply values results)))))

(define (with-output-to-file name thunk)
  (let ((port (open-output-file name)))
    (call-with-values
        (lambda () (%with-params (list current-output-port) (list port) thunk))
      (lambda results (close-port port) (apply values results)))))

(define (call-with-output-string proc)
  (let ((port (open-output-string)))
    (proc port)
    (get-output-string port)))

(define (with-output-to-string thunk)
  (let ((port (open-output-string)))
    (%with-params (list current-output-port) (list port) thunk)
    (get-output-string port)))

;;; ------------------------------------------------------------ extras: (osvm extras)

(define (void . args) (if #f #f))

(define (filter keep? lst)
  (let loop ((l lst) (acc '()))
    (cond ((null? l) (reverse acc))
          ((keep? (car l)) (loop (cdr l) (cons (car l) acc)))
          (else (loop (cdr l) acc)))))

(define (remove drop? lst)
  (filter (lambda (x) (not (drop? x))) lst))

(define (delete x lst)
  (filter (lambda (y) (not (equal? x y))) lst))

(define (fold-left f acc lst)
  (if (null? lst) acc (fold-left f (f acc (car lst)) (cdr lst))))

(define (fold-right f acc lst)
  (let loop ((l (reverse lst)) (acc acc))
    (if (null? l) acc (loop (cdr l) (f (car l) acc)))))

(define (reduce f initial lst)
  (if (null? lst) initial (fold-left (lambda (acc x) (f x acc)) (car lst) (cdr lst))))

(define (iota n . args)
  (let ((start (if (pair? args) (car args) 0))
        (step (if (and (pair? args) (pair? (cdr args))) (cadr args) 1)))
    (let loop ((i (- n 1)) (acc '()))
      (if (< i 0) acc (loop (- i 1) (cons (+ start (* i step)) acc))))))

(define (any pred lst)
  (let loop ((l lst))
    (cond ((null? l) #f)
          ((pred (car l)) => (lambda (x) x))
          (else (loop (cdr l))))))

(define (every pred lst)
  (let loop ((l lst) (last #t))
    (if (null? l)
        last
        (let ((v (pred (car l))))
          (if v (loop (cdr l) v) #f)))))

(define (list-index pred lst)
  (let loop ((l lst) (i 0))
    (cond ((null? l) #f)
          ((pred (car l)) i)
          (else (loop (cdr l) (+ i 1))))))

(define (append-map f lst)
  (apply append (map f lst)))

(define (filter-map f lst)
  (filter (lambda (x) x) (map f lst)))

(define (%merge a b less?)
  (let loop ((a a) (b b) (acc '()))
    (cond ((null? a) (append (reverse acc) b))
          ((null? b) (append (reverse acc) a))
          ((less? (car b) (car a)) (loop a (cdr b) (cons (car b) acc)))
          (else (loop (cdr a) b (cons (car a) acc))))))

(define (%sort-list lst less?)
  (let ((n (length lst)))
    (if (< n 2)
        lst
        (let loop ((i (quotient n 2)) (front '()) (back lst))
          (if (= i 0)
              (%merge (%sort-list (reverse front) less?) (%sort-list back less?) less?)
              (loop (- i 1) (cons (car back) front) (cdr back)))))))

(define (sort seq less?)
  (if (vector? seq)
      (list->vector (%sort-list (vector->list seq) less?))
      (%sort-list seq less?)))

(define (list-sort less? lst) (%sort-list lst less?))

(define (vector-sort less? v) (list->vector (%sort-list (vector->list v) less?)))
