; ASYNC230: the builtin open(..) (unless shadowed), io.open(..) and
; pathlib.Path(..).open(..), told apart by the check.
((call
   function: (identifier) @fn) @call
 (#eq? @fn "open"))

((call
   function: (attribute
     attribute: (identifier) @_attr) @fn) @call
 (#eq? @_attr "open"))

; io.open bound by `from io import open as o`
((call
   function: (identifier) @fn) @call
 (#imports? @fn "io.open")
 (#not-eq? @fn "open"))
