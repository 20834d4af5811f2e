; AM402: an async def; the check walks its body for I/O awaited outside
; any handler.
(function_definition
  body: (block) @body) @def
