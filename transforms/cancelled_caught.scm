; ASYNC103: an except clause of a try statement (the check looks for
; CancelledError, BaseException or a bare except)
((try_statement
   (except_clause) @handler) @try)
