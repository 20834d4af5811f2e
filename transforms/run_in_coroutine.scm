; AM108: asyncio.run(..) (any alias of asyncio) or LOOP.run_until_complete(..)
; called in a coroutine...
((call
   function: (attribute
     attribute: (identifier) @_attr) @ref) @call
 (#any-of? @_attr "run" "run_until_complete"))

; ...or a name bound by `from asyncio import run [as x]`.
((call
   function: (identifier) @ref) @call
 (#imports? @ref "asyncio.run" "asyncio.runners.run"))
