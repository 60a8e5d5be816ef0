-- wrk script: POST a recommendation request (the durable submit path).
wrk.method = "POST"
wrk.body = '{"query":"magnesio","quiz_id":"sueno-v1","category":"minerales","locale":"es"}'
wrk.headers["Content-Type"] = "application/json"

-- Count non-2xx answers so that a run with errors is visible.
local bad = 0
response = function(status, headers, body)
  if status ~= 202 and status ~= 200 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("p50_us %d\np99_us %d\nrequests %d\nnon2xx_in_thread_local %d\n",
    latency:percentile(50), latency:percentile(99), summary.requests, bad))
end
