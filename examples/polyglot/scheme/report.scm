;;; The Scheme part of the polyglot system.
;;;
;;; Its task checksums a few words with two entries of other VMs — adler32 of the Python
;;; library VM and crc32 of the WebAssembly VM (C compiled to wasm) — and with fletcher16,
;;; a procedure this module exports at /mod/scheme/report/fletcher16 and calls, like any
;;; other VM would, through the names tree.

(import (scheme base) (scheme write) (osvm))

(define-import adler32 "/mod/lib/checksum/adler32" "func(data: bytes) -> u32")
(define-import crc32 "/mod/wasm/crc32/crc32" "func(data: bytes) -> u32")

(define-export (fletcher16 data) "func(data: bytes) -> u32"
  (let loop ((i 0) (a 0) (b 0))
    (if (= i (bytevector-length data))
        (+ (* b 256) a)
        (let ((a (modulo (+ a (bytevector-u8-ref data i)) 255)))
          (loop (+ i 1) a (modulo (+ b a) 255))))))

(define (pad text width)
  (string-append (make-string (max 0 (- width (string-length text))) #\space) text))

(define (hex8 n)
  (let ((digits (number->string n 16)))
    (string-append (make-string (- 8 (string-length digits)) #\0) digits)))

(define-export (main) "func() -> s32"
  (let ((fletcher (osvm-bind "/mod/scheme/report/fletcher16" "func(data: bytes) -> u32")))
    (for-each
     (lambda (word)
       (let* ((data (string->utf8 word))
              (a (adler32 data))          ; runs in VM 'lib' (Python), on this task
              (c (crc32 data))            ; runs in VM 'wasm', on this task
              (f (fletcher data)))        ; runs in this VM, entered through the names tree
         (display (string-append "[" (pad (number->string (now)) 7) "] scheme: "))
         (write word)
         (display (string-append " adler32=" (hex8 a) " crc32=" (hex8 c) " fletcher16=" (hex8 f)))
         (newline)))
     '("osvm" "scheme" "virtual machines")))
  0)
