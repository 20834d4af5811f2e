; AM305: a decorated function; the check looks for @asynccontextmanager and
; the handlers around its yield.
(decorated_definition
  (decorator) @decorator
  definition: (function_definition) @fn)
