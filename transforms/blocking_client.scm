; AM114: a method call on an object (the check asks what the object holds:
; a sync socket, a sqlite3/psycopg2/pymysql/MySQLdb connection or cursor, a
; sync redis client or pipeline).
((call
   function: (attribute
     object: (_) @obj
     attribute: (identifier) @_m)) @mcall)
