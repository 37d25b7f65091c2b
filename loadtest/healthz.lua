-- wrk script: /healthz only, to measure the client and the stack's floor under the same load.
function init(args) wrk.headers["X-Forwarded-Proto"] = "https" end
function done(summary, latency, requests)
  io.write(string.format(
    'RESULT {"requests": %d, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "non2xx_or_socket": %d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
