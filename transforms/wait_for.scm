; AM202: asyncio.wait_for(..), through any alias of the module...
((call
   function: (attribute
     attribute: (identifier) @_attr) @fn) @call
 (#eq? @_attr "wait_for"))

; ...or a name bound by `from asyncio import wait_for [as x]`.
((call
   function: (identifier) @fn) @call
 (#imports? @fn "asyncio.wait_for" "asyncio.tasks.wait_for"))
