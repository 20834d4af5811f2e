; ASYNC232: a blocking method called on a name; the check decides whether
; the name is a sync file object.
((call
   function: (attribute
     object: [(identifier) (attribute)] @obj
     attribute: (identifier) @_method) @fn) @call
 (#any-of? @_method "read" "read1" "readall" "readinto" "readline" "readlines"
                    "write" "writelines" "seek" "truncate" "flush" "close" "peek"))
