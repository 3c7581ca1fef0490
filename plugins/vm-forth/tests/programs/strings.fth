\ strings and characters
: greet S" Hello, world" ; greet TYPE CR greet NIP . CR
greet 7 /STRING TYPE CR
S" abc" S" abd" COMPARE . S" abc" S" abc" COMPARE . S" b" S" a" COMPARE . CR
S" the quick brown fox" S" brown" SEARCH . TYPE CR
S" trailing   " -TRAILING TYPE ." |" CR
CREATE buf 32 ALLOT  S" copy me" buf SWAP MOVE buf 7 TYPE CR
buf 5 CHAR * FILL buf 7 TYPE CR
CHAR A . CHAR z . BL . CR
: sq ( -- ) [CHAR] " EMIT ." quoted" [CHAR] " EMIT CR ; sq
65 EMIT 66 EMIT 10 EMIT
: count-a ( c-addr u -- n ) 0 ROT ROT 0 ?DO DUP I + C@ [CHAR] a = IF SWAP 1+ SWAP THEN LOOP DROP ;
S" banana and apple" count-a . CR
S" 12345x" 0 0 2SWAP >NUMBER . DROP D. CR
3 SPACES ." indented" CR
