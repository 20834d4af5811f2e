; AM301: httpx.AsyncClient(..) / aiohttp.ClientSession(..) under any alias...
((call
   function: (attribute
     attribute: (identifier) @_class) @fn) @call
 (#any-of? @_class "AsyncClient" "ClientSession"))

; ...or imported by name
((call
   function: (identifier) @fn) @call
 (#imports? @fn "httpx.AsyncClient" "aiohttp.ClientSession" "aiohttp.client.ClientSession"))
