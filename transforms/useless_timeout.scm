; ASYNC100: every with statement; the check looks for a single
; `asyncio.timeout(..)` / `timeout_at(..)` item (any alias) and a body that
; never awaits.
((with_statement) @with)
