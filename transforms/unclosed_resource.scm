; AM304: a call that may open an async resource: aiofiles.open, asyncpg.connect,
; a redis.asyncio client, asyncio.open_connection, pool.acquire (the check
; resolves the name and follows what it is bound to).
((call
   function: (attribute
     attribute: (identifier) @_m) @fn) @call
 (#any-of? @_m "open" "connect" "Redis" "StrictRedis" "from_url" "open_connection"
  "open_unix_connection" "acquire"))

((call
   function: (identifier) @fn) @call
 (#imports? @fn "aiofiles.open" "aiofiles.threadpool.open" "asyncpg.connect"
  "asyncpg.connection.connect" "redis.asyncio.Redis" "redis.asyncio.StrictRedis"
  "redis.asyncio.from_url" "redis.asyncio.client.Redis" "redis.asyncio.client.StrictRedis"
  "redis.asyncio.utils.from_url" "asyncio.open_connection" "asyncio.open_unix_connection"
  "asyncio.streams.open_connection" "asyncio.streams.open_unix_connection"))
