; ASYNC210: requests.<verb>, httpx.<verb>, urllib.request.urlopen, urllib3.request through any
; alias of the module, and the methods of a requests.Session...
((call
   function: (attribute
     attribute: (identifier) @_attr) @ref) @call
 (#any-of? @_attr "get" "post" "put" "patch" "delete" "head" "options" "request" "urlopen"
               "stream"))

; ...or a name bound by `from requests import get [as x]` and the like.
((call
   function: (identifier) @ref) @call
 (#imports? @ref "requests.get" "requests.post" "requests.put" "requests.patch"
                 "requests.delete" "requests.head" "requests.options" "requests.request"
                 "httpx.get" "httpx.post" "httpx.put" "httpx.patch" "httpx.delete"
                 "httpx.head" "httpx.options" "httpx.request" "httpx.stream"
                 "urllib.request.urlopen" "urllib3.request"))
