; ASYNC113 / AM103: a task started by a method call: x.create_task(..),
; x.ensure_future(..), x.start_soon(..)...
((call
   function: (attribute
     attribute: (identifier) @_method) @fn) @call
 (#any-of? @_method "create_task" "ensure_future" "start_soon"))

; ...or by create_task / ensure_future imported by name from asyncio...
((call
   function: (identifier) @fn) @call
 (#imports? @fn "asyncio.create_task" "asyncio.ensure_future"
                "asyncio.tasks.create_task" "asyncio.tasks.ensure_future"))

; ...or coroutines run at once by gather / wait / as_completed over a
; starred comprehension (AM103 only): gather(*[f(x) for x in xs])
((call
   function: (_) @fn
   arguments: (argument_list
     (list_splat
       [(list_comprehension) (generator_expression)] @comp))) @call)

; ...or wait / as_completed over a comprehension argument
((call
   function: (_) @fn
   arguments: (argument_list
     [(list_comprehension) (set_comprehension)] @comp)) @call)
