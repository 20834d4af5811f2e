; AM104: LOOP.run_in_executor(..), whatever the receiver
((call
   function: (attribute
     attribute: (identifier) @_method) @fn) @call
 (#eq? @_method "run_in_executor"))
