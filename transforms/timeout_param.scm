; ASYNC109: a function definition; the check looks for an async def with a
; parameter called `timeout`.
((function_definition
   parameters: (parameters) @params) @fn)
