; AM113: a blocking wait of thread synchronisation: a method of an event,
; lock, condition, barrier, thread, queue or concurrent future (the check
; asks what the object holds)...
((call
   function: (attribute
     object: (_) @obj
     attribute: (identifier) @_m)) @mcall
 (#any-of? @_m "wait" "wait_for" "acquire" "join" "get" "result" "exception"))

; ...`with lock:` on a thread lock...
((with_statement
   (with_clause
     (with_item
       value: (_) @lock))) @with)

; ...or concurrent.futures.wait by a plain imported name.
((call
   function: (identifier) @ref) @fcall
 (#imports? @ref "concurrent.futures.wait"))
