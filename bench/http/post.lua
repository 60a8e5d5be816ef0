-- wrk script: POST a recommendation request (the durable submit path).
-- No response() callback: it would make wrk parse every answer in Lua (more client CPU on a
-- shared 2-core box) and its per-thread counters never reach done(). wrk itself prints
-- "Non-2xx or 3xx responses: N" for answers >= 400, which bench.sh reports.
wrk.method = "POST"
wrk.body = '{"query":"magnesio","quiz_id":"sueno-v1","category":"minerales","locale":"es"}'
wrk.headers["Content-Type"] = "application/json"

done = function(summary, latency, requests)
  io.write(string.format("p50_us %d\np99_us %d\nrequests %d\n",
    latency:percentile(50), latency:percentile(99), summary.requests))
end
