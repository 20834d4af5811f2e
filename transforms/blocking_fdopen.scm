; ASYNC231: os.fdopen(..), through any alias of the module...
((call
   function: (attribute
     attribute: (identifier) @_attr) @fn) @call
 (#eq? @_attr "fdopen"))

; ...or a name bound by `from os import fdopen [as x]`.
((call
   function: (identifier) @fn) @call
 (#imports? @fn "os.fdopen"))
