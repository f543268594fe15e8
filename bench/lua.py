"""The Lua that wrk runs: the summary line every load ends with, and the return submissions."""

from __future__ import annotations

REPORT_LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '\\nBENCH {"requests": %d, "seconds": %.3f, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors.connect + errors.read + errors.write + errors.timeout,
    errors.status))
end
"""

POST_LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
function request()
  n = n + 1
  -- Unique across runs (--reuse keeps the returns) and across the warm-up and the run.
  local serial = string.format("BENCH%s%02d%09d", RUN, tid, OFFSET + n)
  -- A key and its signed stamp (bench/probe.py), different for each thread and request.
  local pair = STAMPS[((OFFSET + n * 2 + tid) % #STAMPS) + 1]
  local body = BODY .. "&serial_number=" .. serial .. "&idempotency_key=" .. pair[1]
    .. "&started=" .. pair[2]
  return wrk.format("POST", PATH, HEADERS, body)
end
"""
