-- Neovim's own LSP client against `asyncmod server`, headless, for
-- tests/nvim.sh. Environment: ASYNCMOD (the binary), NVIM_LSP_FILE (the
-- Python file to open), NVIM_LSP_OUT (where the steps are written, one
-- line each). Opens the file, waits for the diagnostics, applies the
-- quick fix of the finding under the cursor, then the fixAll source
-- action, writes the buffer and quits. Every wait is bounded, and a timer
-- ends Neovim whatever happens.
local out = assert(io.open(os.getenv('NVIM_LSP_OUT'), 'w'))
local function say(line)
  out:write(line .. '\n')
  out:flush()
end
local function finish(status)
  say('end ' .. status)
  out:close()
  vim.cmd('qall!')
end
vim.defer_fn(function()
  say('timeout')
  finish('timeout')
end, 40000)

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('NVIM_LSP_FILE')))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = 'asyncmod',
    cmd = { os.getenv('ASYNCMOD'), 'server' },
    root_dir = vim.fn.fnamemodify(os.getenv('NVIM_LSP_FILE'), ':h'),
  })
  assert(id, 'the client did not start')
  vim.lsp.buf_attach_client(buf, id)
  local client
  vim.wait(10000, function()
    client = vim.lsp.get_client_by_id(id)
    return client ~= nil and client.initialized
  end, 20)
  assert(client and client.initialized, 'the server did not initialize')
  say('encoding ' .. client.offset_encoding)

  local function codes()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(list, string.format('%s@%d:%d', d.code, d.lnum, d.col))
    end
    table.sort(list)
    return table.concat(list, ' ')
  end
  assert(vim.wait(10000, function() return #vim.diagnostic.get(buf) == 2 end, 20),
    'no diagnostics: ' .. codes())
  say('diagnostics ' .. codes())

  -- the quick fix of the finding under the cursor
  local am105
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'AM105' then am105 = d end
  end
  vim.api.nvim_win_set_cursor(0, { am105.lnum + 1, am105.col })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf),
                     only = { 'quickfix' } }
  local replies = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
  local chosen
  for _, reply in pairs(replies or {}) do
    for _, action in ipairs(reply.result or {}) do
      say('action ' .. action.title)
      if action.title:find('^Fix AM105') then chosen = action end
    end
  end
  assert(chosen, 'no quick fix for AM105')
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  assert(vim.wait(10000, function() return #vim.diagnostic.get(buf) == 1 end, 20),
    'the fixed finding stays: ' .. codes())
  say('after quickfix ' .. codes())

  -- fix all
  params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {}, only = { 'source.fixAll.asyncmod' } }
  replies = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
  chosen = nil
  for _, reply in pairs(replies or {}) do
    for _, action in ipairs(reply.result or {}) do
      if action.kind == 'source.fixAll.asyncmod' then chosen = action end
    end
  end
  assert(chosen, 'no fixAll action')
  say('action ' .. chosen.title)
  if not chosen.edit then
    -- offered lazily: the edit comes with codeAction/resolve
    local resolved = client.request_sync('codeAction/resolve', chosen, 10000, buf)
    assert(resolved and resolved.result and resolved.result.edit,
      'codeAction/resolve gave no edit: ' .. vim.inspect(resolved))
    chosen = resolved.result
    say('resolved')
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  assert(vim.wait(10000, function() return #vim.diagnostic.get(buf) == 0 end, 20),
    'findings stay after fixAll: ' .. codes())
  say('after fixAll ' .. codes())
  vim.cmd('write')
  say('written')
  vim.lsp.stop_client(id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
  say('stopped')
end)
if not ok then say('error ' .. tostring(err)) end
finish(ok and 'ok' or 'error')
