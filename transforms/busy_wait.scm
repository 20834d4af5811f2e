; ASYNC110: a while loop; the check looks for a body that only sleeps.
((while_statement
   body: (block) @body) @while)
