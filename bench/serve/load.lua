-- wrk script for the `payments serve` load run: each request is the next distinct signed Stripe
-- delivery from the file prepare_load.py wrote (DELIVERIES environment variable); thread k of T sends
-- lines k, k+T, k+2T, ... and stops when its share is sent, so no delivery is sent twice.
-- At the end it prints one JSON line with the status counts, for bench/serve/run.sh to check.
-- wrk sleeps its whole -d duration even when every thread has stopped, so throughput is measured here:
-- responses over the time from the first request to the last response (LuaJIT's FFI, CLOCK_MONOTONIC).
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *spec);
]]
local spec = ffi.new("bench_timespec")
local function now()
   ffi.C.clock_gettime(1, spec)
   return tonumber(spec.tv_sec) + tonumber(spec.tv_nsec) / 1e9
end

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   deliveries = {}
   for line in io.lines(os.getenv("DELIVERIES")) do
      local tab = line:find("\t", 1, true)
      table.insert(deliveries, { signature = line:sub(1, tab - 1), body = line:sub(tab + 1) })
   end
   index = id + 1
   step = tonumber(args[1]) -- each thread has its own Lua state: setup's counter is not seen here
   statuses = {}
   first = 0
   last = 0
   sent = 0
end

function request()
   local delivery = deliveries[index]
   if first == 0 then first = now() end
   if delivery ~= nil then sent = sent + 1 end
   if delivery == nil then
      wrk.thread:stop()
      delivery = deliveries[1] -- wrk wants a request even while stopping; it is not sent
   end
   index = index + step
   return wrk.format("POST", "/webhooks/stripe",
      { ["Content-Type"] = "application/json", ["Stripe-Signature"] = delivery.signature }, delivery.body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   last = now()
end

function done(summary, latency, requests)
   local counts = {}
   local started, finished, distinct = math.huge, 0, 0
   for _, thread in ipairs(threads) do
      started = math.min(started, thread:get("first"))
      finished = math.max(finished, thread:get("last"))
      distinct = distinct + thread:get("sent")
      local s = thread:get("statuses")
      for status, n in pairs(s) do counts[tostring(status)] = (counts[tostring(status)] or 0) + n end
   end
   local parts = {}
   for status, n in pairs(counts) do table.insert(parts, string.format('"%s":%d', status, n)) end
   io.write(string.format('{"requests":%d,"distinct_sent":%d,"errors":%d,"p50_ms":%.3f,"p99_ms":%.3f,"mean_ms":%.3f,"seconds":%.3f,"statuses":{%s}}\n',
      summary.requests, distinct, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000, finished - started,
      table.concat(parts, ",")))
end
