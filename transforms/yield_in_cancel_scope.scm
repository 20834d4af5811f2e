; ASYNC101: a yield; the check looks for an enclosing TaskGroup or timeout
; block in an async generator.
((yield) @yield)
