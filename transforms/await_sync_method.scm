; AM109: `await X.m(..)` (or `await (X.m(..))`) where m is a plain method of
; an httpx response; the check asks what X holds.
((await
   (call
     function: (attribute
       object: (_) @obj
       attribute: (identifier) @_m)) @call) @await
 (#any-of? @_m "json" "raise_for_status" "read" "close" "iter_bytes" "iter_text" "iter_lines"
               "iter_raw"))

((await
   (parenthesized_expression
     (call
       function: (attribute
         object: (_) @obj
         attribute: (identifier) @_m)) @call)) @await
 (#any-of? @_m "json" "raise_for_status" "read" "close" "iter_bytes" "iter_text" "iter_lines"
               "iter_raw"))
