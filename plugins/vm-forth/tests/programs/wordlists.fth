\ word lists and the search order
WORDLIST CONSTANT extra
extra SET-CURRENT  : hidden-word ." from extra" ;  FORTH-WORDLIST SET-CURRENT
S" hidden-word" FORTH-WORDLIST SEARCH-WORDLIST . CR
S" hidden-word" extra SEARCH-WORDLIST NIP . CR
GET-ORDER extra SWAP 1+ SET-ORDER  hidden-word CR
: drops ( ... n -- ) 0 ?DO DROP LOOP ;
GET-ORDER SWAP extra = . 1- drops CR
PREVIOUS GET-ORDER SWAP extra = . 1- drops CR
: dup ( x -- x x ) ." my dup " dup ; 5 dup . . CR
