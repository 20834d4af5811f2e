; AM101: asyncio.gather(..) (also asyncio.tasks.gather), through any alias...
((call
   function: (attribute
     attribute: (identifier) @_attr) @fn) @call
 (#eq? @_attr "gather"))

; ...or a name bound by `from asyncio import gather [as x]`.
((call
   function: (identifier) @fn) @call
 (#imports? @fn "asyncio.gather" "asyncio.tasks.gather"))
