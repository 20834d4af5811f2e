; ASYNC250: a call of `input` (the builtin, or `builtins.input`)...
((call
   function: (identifier) @ref)
 (#eq? @ref "input"))

((call
   function: (attribute
     attribute: (identifier) @_attr) @ref)
 (#eq? @_attr "input"))

; ...or a name bound by `from builtins import input as x` (the plain name
; `input` is the first pattern's).
((call
   function: (identifier) @ref)
 (#not-eq? @ref "input")
 (#imports? @ref "builtins.input"))
