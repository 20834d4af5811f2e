; AM107: a call statement whose result is dropped: f(..)...
((expression_statement
   (call
     function: (identifier) @name) @call) @stmt)

; ...or self.m(..)
((expression_statement
   (call
     function: (attribute
       object: (identifier) @self
       attribute: (identifier) @name)) @call) @stmt)
