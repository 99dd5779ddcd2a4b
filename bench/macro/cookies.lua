-- Sends each request with the Cookie header of one of many sessions (one per line of the file given after --),
-- so concurrent connections rarely share a session, as real traffic does.
local cookies = {}

init = function(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      cookies[#cookies + 1] = line
    end
  end
  math.randomseed(os.time())
end

request = function()
  return wrk.format(nil, nil, { ["Cookie"] = cookies[math.random(#cookies)] })
end
