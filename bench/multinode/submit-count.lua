-- wrk script for the end-to-end run: POST exactly N recommendation requests (N = the first
-- argument after "--"), then stop. Use with -t1 (the count is per thread). Requests beyond N
-- that the connections still ask for are GET /healthz, which create no job.
local limit = 0
local sent = 0
local answered = 0
local bad = 0

local body = '{"query":"magnesio","quiz_id":"sueno-v1","category":"minerales","locale":"es"}'
local submit, health

init = function(args)
  limit = tonumber(args[1]) or 1000
  submit = wrk.format("POST", "/portal/recommend", {["Content-Type"] = "application/json"}, body)
  health = wrk.format("GET", "/healthz")
end

request = function()
  if sent < limit then
    sent = sent + 1
    return submit
  end
  return health
end

response = function(status, headers, body)
  if answered < limit then
    answered = answered + 1
    if status ~= 202 then bad = bad + 1 end
    if answered == limit then wrk.thread:stop() end
  end
end

done = function(summary, latency, requests)
  io.write(string.format("submit_errors %d\n", summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout))
end
