; AM501, AM502: a def named test*; the check asks whether pytest collects
; it as an async test and who runs it.
((function_definition
   name: (identifier) @name) @def
 (#match? @name "^test"))
