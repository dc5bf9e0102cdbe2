-- wrk: GET /api/v1/households/{id} for ids drawn at random from the file $IDS, with the
-- bearer token $TOKEN.
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
local headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }

request = function()
    return wrk.format("GET", "/api/v1/households/" .. ids[math.random(#ids)], headers)
end

done = function(summary, latency, requests)
    io.write(string.format("RESULT rps=%.0f p50=%.1f p99=%.1f errors=%d non2xx=%d\n",
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        summary.errors.status))
end
