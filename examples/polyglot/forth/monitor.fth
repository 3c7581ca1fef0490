\ A Forth task of the polyglot system. Every timer period it looks at the
\ producer/consumer pair through the OS (the free places of the job port, a
\ semaphore of the system file); at the end it calls the Python library's
\ adler32 - a call into another VM, its c-addr u string lowered to bytes.
\ Its dictionary and stacks live in the forth VM's heap in board RAM.

IMPORT adler32 /mod/lib/checksum/adler32 func(data: bytes) -> u32

4 CONSTANT ROUNDS
25000 CONSTANT PERIOD                  \ cycles: the board's timer period

: .time  ( -- )  ." [" NOW 7 D.R ." ] " ;

: main  ( -- 0 )
  S" slots" SEM-OPEN
  ROUNDS 0 DO
    PERIOD  NOW DROP PERIOD MOD -  DELAY      \ sleep to the next multiple of the period
    .time ." forth-monitor: free job slots " DUP SEM-COUNT . CR
  LOOP DROP
  .time ." forth-monitor: adler32(forth) = " S" forth" adler32 HEX U. DECIMAL CR
  0 ;
EXPORT main func() -> s32
