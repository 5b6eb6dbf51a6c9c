-- wrk script for the `payments serve` load run: each request is the next distinct signed Stripe
-- delivery from the file prepare_load.py wrote (DELIVERIES environment variable); thread k of T sends
-- lines k, k+T, k+2T, ... and stops when its share is sent, so no delivery is sent twice.
-- At the end it prints one JSON line with the status counts, for bench/serve/run.sh to check.
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
   step = counter
   statuses = {}
end

function request()
   local delivery = deliveries[index]
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
end

function done(summary, latency, requests)
   local counts = {}
   for _, thread in ipairs(threads) do
      local s = thread:get("statuses")
      for status, n in pairs(s) do counts[tostring(status)] = (counts[tostring(status)] or 0) + n end
   end
   local parts = {}
   for status, n in pairs(counts) do table.insert(parts, string.format('"%s":%d', status, n)) end
   io.write(string.format('{"requests":%d,"errors":%d,"p50_ms":%.3f,"p99_ms":%.3f,"mean_ms":%.3f,"seconds":%.3f,"statuses":{%s}}\n',
      summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000, summary.duration / 1e6,
      table.concat(parts, ",")))
end
