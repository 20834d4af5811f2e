; AM105: asyncio.get_event_loop (also asyncio.events.get_event_loop)...
((attribute
   attribute: (identifier) @_attr) @ref
 (#eq? @_attr "get_event_loop"))

; ...or a name bound by `from asyncio import get_event_loop [as x]`.
((identifier) @ref
 (#imports? @ref "asyncio.get_event_loop" "asyncio.events.get_event_loop"))
