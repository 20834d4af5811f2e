; AM302: a decorated def (the check looks for @asyncio.coroutine)
((decorated_definition
   (decorator) @dec
   definition: (function_definition) @def) @decorated)
