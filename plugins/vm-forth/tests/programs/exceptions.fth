\ CATCH and THROW
: t1 1 THROW ; : t0 0 THROW 5 ;
' t1 CATCH . ' t0 CATCH . . CR
: deep 3 0 DO I 2 = IF 77 THROW THEN LOOP ; ' deep CATCH . CR
: inner 11 THROW ; : outer ['] inner CATCH 100 + THROW ; ' outer CATCH . CR
: keep 1 2 3 -9 THROW ; 10 20 ' keep CATCH . . . CR
: ab ABORT" not this" ; ' ab CATCH . CR
: ab2 TRUE ABORT" caught" ; ' ab2 CATCH . CR
: divz 1 0 / ; ' divz CATCH 0<> . CR
: nested ['] t1 CATCH ['] deep CATCH + ; nested . CR
