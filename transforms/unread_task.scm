; AM111: a task bound to a name by a whole statement, `NAME = ..(..)` or
; `NAME: T = ..(..)`; the check decides whether the call creates a task
; and whether the function ever reads the name.
(expression_statement
  (assignment
    left: (identifier) @name
    right: (call) @call)) @stmt
