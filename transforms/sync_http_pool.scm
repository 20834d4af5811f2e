; ASYNC211: a request on a urllib3 pool: `pool.request(..)`, `pool.urlopen(..)`,
; `urllib3.PoolManager().request(..)`
((call
   function: (attribute
     attribute: (identifier) @_attr) @ref) @call
 (#any-of? @_attr "request" "urlopen" "request_encode_url" "request_encode_body"))
