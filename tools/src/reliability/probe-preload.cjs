// Loaded into the server under test with `node --require`, so the app carries no test code.
// On SIGUSR2 writes one JSON object to $PROBE_FILE: the event-loop delay percentiles since the
// previous report (or the start), then a new window; and process.memoryUsage(), plus the same
// after a full GC when node runs with --expose-gc (to tell a leak from a heap V8 merely kept).
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { writeFileSync, renameSync } = require('node:fs');

const file = process.env.PROBE_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns) => ns / 1e6;
  const mib = (usage) =>
    Object.fromEntries(Object.entries(usage).map(([key, bytes]) => [key, bytes / 1048576]));
  process.on('SIGUSR2', () => {
    const report = {
      loopDelay: {
        samples: histogram.count,
        p50Ms: ms(histogram.percentile(50)),
        p99Ms: ms(histogram.percentile(99)),
        maxMs: ms(histogram.max),
      },
      memoryMiB: mib(process.memoryUsage()),
    };
    histogram.reset();
    if (typeof global.gc === 'function') {
      global.gc();
      report.memoryAfterGcMiB = mib(process.memoryUsage());
    }
    // Written whole, then renamed, so the reader never sees half a report.
    writeFileSync(`${file}.tmp`, JSON.stringify(report));
    renameSync(`${file}.tmp`, file);
  });
}
