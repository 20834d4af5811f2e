; AM110: a blocking function of shutil, os, sqlite3, socket, glob or a database
; driver's connect, through
; any alias of the module...
((attribute
   attribute: (identifier) @_attr) @ref
 (#any-of? @_attr "copy" "copy2" "copyfile" "copyfileobj" "copymode" "copystat" "copytree"
                  "rmtree" "move" "make_archive" "unpack_archive" "disk_usage" "chown"
                  "which" "remove" "unlink" "rename" "renames" "replace" "mkdir" "makedirs"
                  "rmdir" "removedirs" "listdir" "stat" "lstat" "chmod" "link" "symlink"
                  "readlink" "truncate" "utime" "access" "fsync" "connect" "getaddrinfo"
                  "gethostbyname" "gethostbyname_ex" "gethostbyaddr" "getnameinfo"
                  "create_connection" "getfqdn" "glob"))

; ...or a name bound by `from shutil import copy [as x]` and the like.
((identifier) @ref
 (#imports? @ref "shutil.copy" "shutil.copy2" "shutil.copyfile" "shutil.copyfileobj"
                 "shutil.copymode" "shutil.copystat" "shutil.copytree" "shutil.rmtree"
                 "shutil.move" "shutil.make_archive" "shutil.unpack_archive"
                 "shutil.disk_usage" "shutil.chown" "shutil.which" "os.remove" "os.unlink"
                 "os.rename" "os.renames" "os.replace" "os.mkdir" "os.makedirs" "os.rmdir"
                 "os.removedirs" "os.listdir" "os.stat" "os.lstat" "os.chmod" "os.chown"
                 "os.link" "os.symlink" "os.readlink" "os.truncate" "os.utime" "os.access"
                 "os.fsync" "sqlite3.connect" "socket.getaddrinfo" "socket.gethostbyname"
                 "socket.gethostbyname_ex" "socket.gethostbyaddr" "socket.getnameinfo"
                 "socket.create_connection" "socket.getfqdn" "glob.glob" "psycopg2.connect"
                 "pymysql.connect" "MySQLdb.connect"))
