\ the sieve of Eratosthenes
2000 CONSTANT size
CREATE flags size ALLOT
: sieve ( -- n )
  flags size 1 FILL  0
  size 2 DO
    flags I + C@ IF
      1+  I DUP * size < IF size I DUP * DO 0 flags I + C! J +LOOP THEN
    THEN
  LOOP ;
sieve . CR
: primes ( n -- ) 0 DO flags I + C@ I 1 > AND IF I . THEN LOOP CR ; 60 primes
