\ control structures and recursion
: count ( n -- ) 0 ?DO I . LOOP CR ; 5 count 0 count
: down 0 10 DO I . -2 +LOOP CR ; down
: up 10 0 DO I . 3 +LOOP CR ; up
: nest 3 0 DO 3 0 DO J 10 * I + . LOOP LOOP CR ; nest
: find7 ( -- ) 20 0 DO I 7 = IF ." found " I . LEAVE THEN LOOP CR ; find7
: collatz ( n -- steps ) 0 SWAP BEGIN DUP 1 > WHILE DUP 2 MOD IF 3 * 1+ ELSE 2/ THEN SWAP 1+ SWAP REPEAT DROP ;
27 collatz . 97 collatz . CR
: fib ( n -- f ) DUP 2 < IF EXIT THEN DUP 1- RECURSE SWAP 2 - RECURSE + ;
20 fib . 25 fib . CR
: gcd ( a b -- g ) BEGIN ?DUP WHILE TUCK MOD REPEAT ; 1071 462 gcd . 17 5 gcd . CR
: ack ( m n -- a ) OVER 0= IF NIP 1+ EXIT THEN DUP 0= IF DROP 1- 1 RECURSE EXIT THEN
  OVER SWAP 1- RECURSE SWAP 1- SWAP RECURSE ;
2 3 ack . 3 3 ack . CR
: fact ( n -- n! ) 1 SWAP 1+ 1 ?DO I * LOOP ; 10 fact . 12 fact . CR
: until-test 0 BEGIN 1+ DUP 5 = UNTIL . CR ; until-test
: classify ( n -- ) CASE 1 OF ." one" ENDOF 2 OF ." two" ENDOF ." many" ENDCASE SPACE ;
1 classify 2 classify 7 classify CR
