; AM102: asyncio.wait(..) (also asyncio.tasks.wait), through any alias...
((call
   function: (attribute
     attribute: (identifier) @_attr) @fn) @call
 (#eq? @_attr "wait"))

; ...or a name bound by `from asyncio import wait [as x]`.
((call
   function: (identifier) @fn) @call
 (#imports? @fn "asyncio.wait" "asyncio.tasks.wait"))
