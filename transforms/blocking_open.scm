; ASYNC230: the builtin open(..) (unless shadowed), io.open(..),
; pathlib.Path(..).open(..) (or the open method of a name holding a path)
; and io.open_code(..), told apart by the check.
((call
   function: (identifier) @fn) @call
 (#eq? @fn "open"))

((call
   function: (attribute
     attribute: (identifier) @_attr) @fn) @call
 (#any-of? @_attr "open" "open_code"))

; io.open bound by `from io import open as o`
((call
   function: (identifier) @fn) @call
 (#imports? @fn "io.open" "io.open_code")
 (#not-eq? @fn "open"))
