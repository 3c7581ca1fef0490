\ The part of the system written in Forth, interpreted when a machine boots.
\ Primitives and the compiler are in Python (osvm_vm_forth/w_*.py).

: DECIMAL  10 BASE ! ;
: HEX  16 BASE ! ;
: ?  ( a-addr -- )  @ . ;
: ERASE  ( addr u -- )  0 FILL ;
: BLANK  ( addr u -- )  BL FILL ;
: CS-PICK  ( ... u -- ... x )  PICK ;
: CS-ROLL  ( ... u -- ... )  ROLL ;
: RDROP  ( R: x -- )  R> R> DROP >R ;

\ Facility: structures
: +FIELD  ( n1 n2 "name" -- n3 )  CREATE OVER , +  DOES> @ + ;
: BEGIN-STRUCTURE  ( "name" -- struct-sys 0 )  CREATE HERE 0 0 ,  DOES> @ ;
: END-STRUCTURE  ( struct-sys +n -- )  SWAP ! ;
: FIELD:  ( n1 "name" -- n2 )  ALIGNED 1 CELLS +FIELD ;
: CFIELD:  ( n1 "name" -- n2 )  1 CHARS +FIELD ;

\ Programming tools
: TRAVERSE-WORDLIST  ( i*x xt wid -- j*x )
  (wid-latest) BEGIN DUP WHILE
    2DUP 2>R SWAP EXECUTE IF 2R> (nt-next) ELSE 2R> DROP 0 THEN
  REPEAT 2DROP ;

\ Facility: the terminal (ANSI sequences)
: PAGE  ( -- )  27 EMIT ." [2J" 27 EMIT ." [H" ;
: AT-XY  ( u1 u2 -- )  BASE @ >R DECIMAL  27 EMIT [CHAR] [ EMIT 1+ 0 U.R [CHAR] ; EMIT 1+ 0 U.R [CHAR] H EMIT  R> BASE ! ;

\ The OS: entries of /os as words (bound on first use)
IMPORT NOW /os/time/now func() -> u64
IMPORT HZ /os/time/hz func() -> u64
IMPORT (delay) /os/task/delay func(cycles: s64)
IMPORT YIELD /os/task/rotate func()
IMPORT RANDOM /os/sys/random func(bound: u32) -> u32
IMPORT TASK-SELF /os/task/self func() -> handle<task>
IMPORT (exit) /os/task/exit func(code: s32)
IMPORT SEM-OPEN /os/sem/open func(name: string) -> handle<sem>
IMPORT (sem-create) /os/sem/create func(count: s32, max: s32, order: string) -> handle<sem>
IMPORT (sem-wait) /os/sem/wait func(sem: handle<sem>, timeout: s64)
IMPORT SEM-SIGNAL /os/sem/signal func(sem: handle<sem>)
IMPORT SEM-COUNT /os/sem/count func(sem: handle<sem>) -> s32
IMPORT SEM-DELETE /os/sem/delete func(sem: handle<sem>)
IMPORT PORT-OPEN /os/port/open func(name: string) -> handle<port>
IMPORT PORT-CREATE /os/port/create func(capacity: u32) -> handle<port>
IMPORT (receive) /os/port/receive func(port: handle<port>, timeout: s64) -> any
IMPORT (send) /os/port/send func(port: handle<port>, message: any, timeout: s64)
IMPORT UPCALL /os/port/upcall func(port: handle<port>, entry: string, priority: s32) -> handle<task>
IMPORT CONSOLE-WRITE /os/console/write func(text: string)

-1050 CONSTANT E_TMOUT
-1043 CONSTANT E_QOVR
-1042 CONSTANT E_NOEXS
-1051 CONSTANT E_DLT
-1033 CONSTANT E_NOMEM

: (timed)  ( i*x xt -- j*x true | false )  \ run an OS word; E_TMOUT gives false
  CATCH ?DUP IF DUP E_TMOUT <> IF THROW THEN DROP FALSE ELSE TRUE THEN ;
: SEM-CREATE  ( count max -- sem )  S" fifo" (sem-create) ;
: SEM-WAIT  ( sem -- )  -1 S>D (sem-wait) ;
: SEM-WAIT-TIMEOUT  ( sem u -- flag )  S>D ['] (sem-wait) (timed) DUP 0= IF NIP NIP NIP THEN ;
: RECEIVE  ( port -- x | c-addr u )  -1 S>D (receive) ;
: RECEIVE-TIMEOUT  ( port u -- x true | false )  S>D ['] (receive) (timed) DUP 0= IF NIP NIP NIP THEN ;
: SEND  ( x port -- )  SWAP -1 S>D (send) ;
: DELAY  ( u -- )  S>D (delay) ;
: MS  ( u -- )  HZ DROP 1000 */ DELAY ;
: TIME&DATE  ( -- +n1 +n2 +n3 +n4 +n5 +n6 )
  NOW HZ DROP UM/MOD NIP  60 /MOD 60 /MOD 24 /MOD  1+ 1 2000 ;
