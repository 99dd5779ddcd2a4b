-- wrk script: every request carries one of the session cookies listed in a file (one value per line). Each wrk thread
-- takes its own share of the cookies and uses them in turn, so concurrent requests use different sessions.
-- Usage: wrk -t<threads> -s sessions.lua <url> -- <cookie-file> <threads>
local threads_started = 0

function setup(thread)
  thread:set("thread_number", threads_started)
  threads_started = threads_started + 1
end

local cookies = {}
local next_index = 1

function init(args)
  local threads = tonumber(args[2])
  local i = 0
  for line in io.lines(args[1]) do
    if #line > 0 then
      if i % threads == thread_number then
        cookies[#cookies + 1] = line
      end
      i = i + 1
    end
  end
  if #cookies == 0 then
    error("no cookies for thread " .. thread_number .. " in " .. args[1])
  end
end

function request()
  local cookie = cookies[next_index]
  next_index = next_index % #cookies + 1
  return wrk.format("GET", nil, { ["Cookie"] = "session=" .. cookie })
end

function done(summary, latency, requests)
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.3f failed=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.duration / 1e6, failed, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
