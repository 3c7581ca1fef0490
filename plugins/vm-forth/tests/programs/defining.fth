\ defining words, data structures, deferred words, values
VARIABLE v 42 v ! v @ . CR
10 CONSTANT ten ten ten * . CR
7 VALUE val val . 99 TO val val . CR
: array ( n "name" -- ) CREATE CELLS ALLOT DOES> ( i -- addr ) SWAP CELLS + ;
5 array a  : fill-a 5 0 DO I I * I a ! LOOP ; fill-a  : show-a 5 0 DO I a @ . LOOP CR ; show-a
: counter CREATE 0 , DOES> DUP @ 1+ DUP ROT ! ; counter c  c . c . c . CR
DEFER greet  : hi ." hi" ;  : yo ." yo" ;  ' hi IS greet greet SPACE ' yo IS greet greet CR
: 2c 2CONSTANT ; 3 4 2c pair pair . . CR
CREATE table 1 , 2 , 3 , 4 ,  table 3 CELLS + @ . table CELL+ @ . CR
: :point CREATE , , DOES> 2@ ; 3 4 :point p  p . . CR
:NONAME 6 7 * ; EXECUTE . CR
: imm ." (imm)" ; IMMEDIATE  : uses imm ." body" ; CR uses CR
VARIABLE acc  : sum ( n -- ) 0 acc ! 0 ?DO I acc +! LOOP acc @ . ; 100 sum CR
