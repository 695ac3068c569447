-- wrk hook: prints the run's summary as one JSON line, read by bench/load.py.
-- Latencies are in microseconds; "status" counts responses outside 2xx/3xx (wrk counts status > 399).

local function int(value)
  if value ~= value or value == nil then return 0 end -- NaN when nothing completed
  return math.floor(value)
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"status": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "mean": %d, "max": %d}}\n',
    int(summary.requests), int(summary.duration), int(summary.bytes),
    int(errors.status), int(errors.connect), int(errors.read), int(errors.write), int(errors.timeout),
    int(latency:percentile(50)), int(latency:percentile(90)), int(latency:percentile(99)),
    int(latency.mean), int(latency.max)))
end
