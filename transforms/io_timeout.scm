; AM201: an awaited method call (`reader.read()`, `loop.sock_recv(..)`,
; `conn.fetch(..)`); the check resolves the receiver...
((await
   (call
     function: (attribute) @fn) @call) @await)

; ...or an awaited `asyncio.open_connection(..)` by a plain imported name.
((await
   (call
     function: (identifier) @fn) @call) @await
 (#imports? @fn "asyncio.open_connection" "asyncio.open_unix_connection"
                "asyncio.streams.open_connection" "asyncio.streams.open_unix_connection"))
