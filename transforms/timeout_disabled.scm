; AM204: a time limit switched off: `timeout=None` or `total=None` in a call...
((call
   arguments: (argument_list
     (keyword_argument
       name: (identifier) @_k
       value: (none) @none))) @call
 (#any-of? @_k "timeout" "total"))

; ...`httpx.Timeout(None)`...
((call
   function: [(identifier) (attribute)] @fn
   arguments: (argument_list . (none) @none)) @call
 (#match? @fn "Timeout$"))

; ...or `aiohttp.ClientTimeout()` with no limit at all.
((call
   function: [(identifier) (attribute)] @fn
   arguments: (argument_list) @empty) @call
 (#match? @fn "ClientTimeout$"))
