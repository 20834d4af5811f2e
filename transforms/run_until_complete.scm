; AM106: LOOP.run_until_complete(..), whatever the receiver
((call
   function: (attribute
     attribute: (identifier) @_method) @fn) @call
 (#eq? @_method "run_until_complete"))
