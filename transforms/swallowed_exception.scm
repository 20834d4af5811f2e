; AM401: an except clause; the check decides whether it catches Exception
; and does nothing with it.
(except_clause) @handler
