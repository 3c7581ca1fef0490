\ arithmetic, division (floored), doubles, number output
1 2 + . 7 3 - . 6 7 * . 100 7 / . 100 7 MOD . CR
-7 2 / . -7 2 MOD . 7 -2 / . 7 -2 MOD . -7 -2 / . CR
-7 2 /MOD . . 10 3 4 */ . 10 3 4 */MOD . . CR
5 NEGATE . -5 ABS . 3 9 MIN . 3 9 MAX . 1 4 LSHIFT . 256 3 RSHIFT . CR
6 3 AND . 6 3 OR . 6 3 XOR . 5 2* . -9 2/ . CR
1 2 < . 2 1 < . 3 3 = . 0 0= . 5 0< . -5 0< . 4 0 5 WITHIN . CR
100000 100000 M* D. 123456789. 1000 UM/MOD . . CR
-17 S>D 5 FM/MOD . . -17 S>D 5 SM/REM . . CR
12345. 67890. D+ D. 5. 9. D- D. 7. DNEGATE D. -3. DABS D. CR
HEX 255 . 4096 . DECIMAL 1000 . CR
42 8 .R 42 8 U.R -42 8 .R CR
1234567. 12 D.R CR
: pic ( n -- ) S>D <# # # [CHAR] . HOLD #S #> TYPE ; 31415 pic CR
: sgn ( n -- ) DUP ABS S>D <# #S ROT SIGN #> TYPE SPACE ; -271 sgn 271 sgn CR
