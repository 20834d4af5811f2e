; ASYNC240: a call of an os.path function that touches the file system,
; through any alias of os or os.path...
((call
   function: (attribute
     attribute: (identifier) @_attr) @ref)
 (#any-of? @_attr "exists" "lexists" "isfile" "isdir" "islink" "ismount" "isjunction"
                  "getsize" "getmtime" "getatime" "getctime" "samefile" "sameopenfile"
                  "realpath"))

; ...or a name bound by `from os.path import exists [as x]`.
((call
   function: (identifier) @ref)
 (#imports? @ref "os.path.exists" "os.path.lexists" "os.path.isfile" "os.path.isdir"
                 "os.path.islink" "os.path.ismount" "os.path.isjunction" "os.path.getsize"
                 "os.path.getmtime" "os.path.getatime" "os.path.getctime" "os.path.samefile"
                 "os.path.sameopenfile" "os.path.realpath"))
