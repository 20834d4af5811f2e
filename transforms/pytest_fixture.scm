; AM503: a decorated def; the check looks for @pytest.fixture on an async def.
(decorated_definition
  (decorator) @dec
  definition: (function_definition) @def)
