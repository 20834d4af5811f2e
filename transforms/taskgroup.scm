; ASYNC111 / ASYNC112 / ASYNC121: a task group opened by `async with`:
; asyncio.TaskGroup(), anyio.create_task_group(), trio.open_nursery()
((with_statement
   (with_clause
     (with_item
       value: (as_pattern
         (call
           function: (_) @fn)
         alias: (as_pattern_target
           (identifier) @group))) @item)) @with)
