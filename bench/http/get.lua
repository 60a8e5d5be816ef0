-- wrk script: GET a status (path given by the command line URL).
done = function(summary, latency, requests)
  io.write(string.format("p50_us %d\np99_us %d\nrequests %d\n",
    latency:percentile(50), latency:percentile(99), summary.requests))
end
