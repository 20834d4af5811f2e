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

; ...or a blocking method of a pathlib path (the check asks what the
; object holds).
((call
   function: (attribute
     object: (_) @obj
     attribute: (identifier) @_pmethod)) @pcall
 (#any-of? @_pmethod "stat" "lstat" "exists" "is_dir" "is_file" "is_mount" "is_symlink"
                     "is_block_device" "is_char_device" "is_fifo" "is_socket" "is_junction"
                     "owner" "group" "read_bytes" "read_text" "write_bytes" "write_text"
                     "readlink" "touch" "mkdir" "chmod" "lchmod" "unlink" "rmdir" "rename"
                     "replace" "symlink_to" "hardlink_to" "link_to" "iterdir" "glob" "rglob"
                     "walk" "resolve" "samefile"))
