/*
 * standard_en: the table of English renderings.
 *
 * Each pair is the Chinese text exactly as the standard has it (without
 * leading blanks) and a faithful English rendering; Markdown, code and
 * the ✅/❌ marks are kept as they are. A rule that quotes a new line of
 * the standard adds it here (tests/explain.sh lists those missing).
 */
#include "standard_en.h"

#include <string.h>

static const char *const table[][2] = {
	/* headings */
	{ "Python 异步编程规范", "Python Asynchronous Programming Standard" },
	{ "核心原则", "Core Principles" },
	{ "✅ 必须遵守", "✅ Must Be Followed" },
	{ "❌ 禁止行为", "❌ Prohibited Practices" },
	{ "asyncio 最佳实践", "asyncio Best Practices" },
	{ "异步函数定义", "Defining Async Functions" },
	{ "并发模式（Python 3.11+）", "Concurrency Patterns (Python 3.11+)" },
	{ "限制并发数量", "Limiting Concurrency" },
	{ "避免阻塞事件循环", "Avoiding Blocking the Event Loop" },
	{ "阻塞操作检测", "Detecting Blocking Operations" },
	{ "CPU 密集任务处理", "Handling CPU-Bound Tasks" },
	{ "线程池用于 I/O 密集阻塞操作", "Thread Pools for Blocking I/O-Bound Operations" },
	{ "异步上下文管理器", "Async Context Managers" },
	{ "标准异步上下文管理器", "Standard Async Context Managers" },
	{ "自定义异步上下文管理器", "Custom Async Context Managers" },
	{ "超时控制", "Timeout Control" },
	{ "设置超时", "Setting Timeouts" },
	{ "取消处理", "Handling Cancellation" },
	{ "异步迭代器和生成器", "Async Iterators and Generators" },
	{ "异步生成器", "Async Generators" },
	{ "异步列表推导", "Async List Comprehensions" },
	{ "异步测试", "Async Testing" },
	{ "pytest-asyncio 配置", "pytest-asyncio Configuration" },
	{ "异步测试示例", "Async Test Examples" },
	{ "异步 Fixture", "Async Fixtures" },
	{ "最佳实践总结", "Summary of Best Practices" },
	{ "1. 结构清晰", "1. Clear Structure" },
	{ "2. 资源管理", "2. Resource Management" },
	{ "3. 错误处理", "3. Error Handling" },
	{ "检查清单", "Checklist" },

	/* 核心原则 > ✅ 必须遵守 */
	{ "1. **使用 asyncio** - Python 3.11+ 优先使用 `asyncio` 而非其他异步框架",
	  "1. **Use asyncio** - on Python 3.11+, prefer `asyncio` over other async frameworks" },
	{ "2. **TaskGroup 优先** - Python 3.11+ 使用 `asyncio.TaskGroup` 替代 `gather`/`wait`",
	  "2. **TaskGroup first** - on Python 3.11+, use `asyncio.TaskGroup` instead of "
	  "`gather`/`wait`" },
	{ "3. **避免阻塞** - 永远不要在异步函数中执行阻塞操作",
	  "3. **Avoid blocking** - never perform blocking operations in an async function" },
	{ "4. **正确的上下文管理** - 异步资源使用 `async with` 管理",
	  "4. **Proper context management** - manage async resources with `async with`" },
	{ "5. **明确的异常处理** - 异步函数必须有清晰的异常处理策略",
	  "5. **Explicit exception handling** - async functions must have a clear "
	  "exception-handling strategy" },
	{ "6. **超时控制** - 所有 I/O 操作都应该有超时限制",
	  "6. **Timeout control** - every I/O operation should have a time limit" },

	/* 核心原则 > ❌ 禁止行为 */
	{ "- 在 async 函数中使用阻塞 I/O（如 `time.sleep`、`requests.get`）",
	  "- Using blocking I/O in an async function (such as `time.sleep`, `requests.get`)" },
	{ "- 使用 `asyncio.create_task` 但不等待结果",
	  "- Using `asyncio.create_task` without awaiting the result" },
	{ "- 在循环中无限制地创建任务", "- Creating tasks without limit in a loop" },
	{ "- 忽略 `Future`/`Task` 的异常", "- Ignoring the exceptions of a `Future`/`Task`" },
	{ "- 混用同步和异步代码", "- Mixing synchronous and asynchronous code" },
	{ "- 在 async 函数中使用 `run_in_executor` 执行 CPU 密集任务",
	  "- Using `run_in_executor` in an async function to run CPU-bound work" },

	/* 检查清单 */
	{ "提交异步代码前，确保：", "Before committing async code, make sure that:" },
	{ "- [ ] 所有异步函数都使用 `async def` 定义",
	  "- [ ] Every async function is defined with `async def`" },
	{ "- [ ] 阻塞操作使用 `run_in_executor` 或异步库替代",
	  "- [ ] Blocking operations are replaced with `run_in_executor` or an async library" },
	{ "- [ ] I/O 操作都有超时设置", "- [ ] Every I/O operation has a timeout set" },
	{ "- [ ] 异步资源使用 `async with` 管理",
	  "- [ ] Async resources are managed with `async with`" },
	{ "- [ ] Python 3.11+ 使用 `TaskGroup` 而非 `gather`",
	  "- [ ] Python 3.11+ uses `TaskGroup` rather than `gather`" },
	{ "- [ ] 限制并发数量（使用 Semaphore 或工作池）",
	  "- [ ] Concurrency is limited (with a Semaphore or a worker pool)" },
	{ "- [ ] 正确处理 `CancelledError`", "- [ ] `CancelledError` is handled correctly" },
	{ "- [ ] 测试覆盖异步代码", "- [ ] Tests cover the async code" },
	{ "- [ ] 没有在异步函数中使用 `time.sleep`",
	  "- [ ] No `time.sleep` is used in an async function" },
	{ "- [ ] 没有在异步函数中使用阻塞 I/O（如 `open`、`requests`）",
	  "- [ ] No blocking I/O is used in an async function (such as `open`, `requests`)" },

	/* the captions of the examples */
	{ "# ✅ 正确 - 使用清晰的异步函数签名", "# ✅ Correct - use a clear async function signature" },
	{ "# ❌ 错误 - 没有异常处理", "# ❌ Wrong - no exception handling" },
	{ "# ✅ 推荐 - 使用 TaskGroup（Python 3.11+）",
	  "# ✅ Recommended - use TaskGroup (Python 3.11+)" },
	{ "# ✅ 兼容 - 使用 asyncio.gather（Python 3.10-）",
	  "# ✅ Compatible - use asyncio.gather (Python 3.10 and earlier)" },
	{ "# ✅ 推荐 - 使用 as_completed 获取流式结果",
	  "# ✅ Recommended - use as_completed to get results as they arrive" },
	{ "# ❌ 错误 - 无限制创建任务", "# ❌ Wrong - creating tasks without limit" },
	{ "# ✅ 正确 - 使用 Semaphore 限制并发", "# ✅ Correct - limit concurrency with a Semaphore" },
	{ "# ✅ 推荐 - 使用 asyncio.Queue 实现工作池",
	  "# ✅ Recommended - implement a worker pool with asyncio.Queue" },
	{ "# ❌ 禁止 - 在 async 函数中使用阻塞 I/O",
	  "# ❌ Prohibited - using blocking I/O in an async function" },
	{ "# ❌ 禁止 - 使用 time.sleep", "# ❌ Prohibited - using time.sleep" },
	{ "# ❌ 禁止 - 使用 requests 库", "# ❌ Prohibited - using the requests library" },
	{ "# ✅ 正确 - 使用 aiofiles", "# ✅ Correct - use aiofiles" },
	{ "# ✅ 正确 - 使用 asyncio.sleep", "# ✅ Correct - use asyncio.sleep" },
	{ "# ✅ 正确 - 使用 httpx/aiohttp", "# ✅ Correct - use httpx/aiohttp" },
	{ "# ✅ 正确 - 使用 run_in_executor 处理 CPU 密集任务",
	  "# ✅ Correct - handle CPU-bound tasks with run_in_executor" },
	{ "# 进程池用于 CPU 密集任务", "# A process pool for CPU-bound tasks" },
	{ "# ✅ 正确 - 使用 functools.partial 预绑定参数",
	  "# ✅ Correct - bind arguments in advance with functools.partial" },
	{ "# ✅ 正确 - 使用线程池处理阻塞 I/O",
	  "# ✅ Correct - handle blocking I/O with a thread pool" },
	{ "# 线程池用于 I/O 密集阻塞任务", "# A thread pool for blocking I/O-bound tasks" },
	{ "\"\"\"同步数据库查询（阻塞）.\"\"\"", "\"\"\"Synchronous database query (blocking).\"\"\"" },
	{ "# 使用同步数据库驱动", "# Using a synchronous database driver" },
	{ "\"\"\"异步包装同步数据库查询.\"\"\"",
	  "\"\"\"Async wrapper around a synchronous database query.\"\"\"" },
	{ "# 使用示例", "# Usage example" },
	{ "# 使用", "# Usage" },
	{ "# ✅ 正确 - 使用 async with 管理异步资源",
	  "# ✅ Correct - manage async resources with async with" },
	{ "# ❌ 错误 - 在 async with 中使用同步资源",
	  "# ❌ Wrong - using a synchronous resource in async with" },
	{ "# ✅ 推荐 - 使用 @asynccontextmanager", "# ✅ Recommended - use @asynccontextmanager" },
	{ "# ✅ 完整的异步上下文管理器类", "# ✅ A complete async context manager class" },
	{ "# ✅ 推荐 - 使用 asyncio.timeout（Python 3.11+）",
	  "# ✅ Recommended - use asyncio.timeout (Python 3.11+)" },
	{ "# ✅ 兼容 - 使用 asyncio.wait_for（Python 3.10-）",
	  "# ✅ Compatible - use asyncio.wait_for (Python 3.10 and earlier)" },
	{ "# ✅ 推荐 - 使用 httpx 内置超时", "# ✅ Recommended - use httpx's built-in timeouts" },
	{ "# ✅ 正确 - 正确处理取消", "# ✅ Correct - handle cancellation correctly" },
	{ "# ✅ 正确 - 使用 shield 保护重要任务",
	  "# ✅ Correct - protect an important task with shield" },
	{ "# ✅ 正确 - 使用异步生成器处理流式数据",
	  "# ✅ Correct - process streaming data with an async generator" },
	{ "# ✅ 正确 - 使用异步生成器分页查询",
	  "# ✅ Correct - query page by page with an async generator" },
	{ "# ✅ 正确 - 使用异步列表推导", "# ✅ Correct - use an async list comprehension" },
	{ "# ✅ 正确 - 使用异步字典推导", "# ✅ Correct - use an async dict comprehension" },
	{ "# ✅ 正确 - 使用 acomprehension 与 async for",
	  "# ✅ Correct - use acomprehension with async for" },
	{ "# ✅ 正确 - 配置 pytest-asyncio", "# ✅ Correct - configure pytest-asyncio" },
	{ "# ✅ 正确 - 异步测试", "# ✅ Correct - an async test" },
	{ "# ✅ 正确 - 异步 fixture", "# ✅ Correct - an async fixture" },
	{ "# ✅ 正确 - 清晰的异步结构", "# ✅ Correct - a clear async structure" },
	{ "# ✅ 正确 - 确保资源释放", "# ✅ Correct - make sure resources are released" },
	{ "# ✅ 正确 - 统一的异步错误处理", "# ✅ Correct - uniform async error handling" },
	{ "# ✅ 推荐 - 使用上下文管理器", "# ✅ Recommended - use a context manager" },

	/* comments inside the examples that rules quote */
	{ "# TaskGroup 确保所有任务完成或抛出异常",
	  "# TaskGroup makes sure every task completes, or an exception is raised" },
};

const char *standard_en_lookup(const char *zh)
{
	zh += strspn(zh, " ");
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i][0], zh))
			return table[i][1];
	return NULL;
}

bool standard_en_has_cjk(const char *s)
{
	/* CJK ideographs and fullwidth punctuation: UTF-8 lead bytes E3-E9, EF */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0xe3 && *p <= 0xe9)
			return true;
		if (*p == 0xef && p[1] == 0xbc)	/* fullwidth forms: （），： */
			return true;
	}
	return false;
}
