; AM203: asyncio.TimeoutError (also asyncio.exceptions.TimeoutError)...
((attribute
   attribute: (identifier) @_attr) @ref
 (#eq? @_attr "TimeoutError"))

; ...or a name bound by `from asyncio import TimeoutError [as x]`.
((identifier) @ref
 (#imports? @ref "asyncio.TimeoutError" "asyncio.exceptions.TimeoutError"))

; ...or a class pattern of a match statement: `case asyncio.TimeoutError():`
((class_pattern
   (dotted_name
     (identifier) @_last .) @ref)
 (#eq? @_last "TimeoutError"))
