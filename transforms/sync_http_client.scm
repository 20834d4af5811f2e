; ASYNC212: a request method of a sync httpx.Client: `client.get(..)`, ...
((call
   function: (attribute
     attribute: (identifier) @_attr) @ref) @call
 (#any-of? @_attr "get" "post" "put" "patch" "delete" "head" "options" "request" "send"
               "stream"))
