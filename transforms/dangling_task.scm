; ASYNC300: a task created and dropped on the floor, as a whole statement:
; asyncio.create_task(..), asyncio.ensure_future(..), loop.create_task(..)
((expression_statement
   (call
     function: (attribute
       attribute: (identifier) @_method) @fn) @call) @stmt
 (#any-of? @_method "create_task" "ensure_future"))

; create_task / ensure_future imported by name from asyncio
((expression_statement
   (call
     function: (identifier) @fn) @call) @stmt
 (#imports? @fn "asyncio.create_task" "asyncio.ensure_future"
                "asyncio.tasks.create_task" "asyncio.tasks.ensure_future"))

; the same, written in parentheses: (asyncio.create_task(..)), ((..))
((expression_statement
   (parenthesized_expression) @paren) @stmt)
