; ASYNC119: a yield; the check looks for an enclosing with statement in an
; async generator.
((yield) @yield)
