; ASYNC251: time.sleep, through any alias of the module...
((attribute
   attribute: (identifier) @_attr) @ref
 (#eq? @_attr "sleep"))

; ...or a name bound by `from time import sleep [as x]`.
((identifier) @ref
 (#imports? @ref "time.sleep"))
