; AM112: `await Q.join()`; the check decides whether Q is an asyncio
; queue made in this module that nothing calls task_done() on.
(await
  (call
    function: (attribute
      object: (_) @recv
      attribute: (identifier) @_method)
    arguments: (argument_list) @args) @call
  (#eq? @_method "join")) @await
