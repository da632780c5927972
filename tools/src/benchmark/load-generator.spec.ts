import { loadCommand, loadCore, parseAutocannonJson, parseWrk, runOutcome } from './load-generator';

const wrkOutput = `Running 20s test @ http://127.0.0.1:49180/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.65ms    1.02ms  30.12ms   91.23%
    Req/Sec    19.07k     1.23k   21.00k    75.00%
  Latency Distribution
     50%  812.00us
     75%    2.80ms
     90%    3.20ms
     99%    1.10s
  379543 requests in 20.00s, 38.04MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 5
Requests/sec:  18977.15
Transfer/sec:      1.90MB
`;

describe('loadCore', () => {
  it('puts the load generator on another core than the server when there are two', () => {
    // GIVEN a server pinned to core 1 on a two-core machine  WHEN the load's core is chosen
    // THEN it is core 0
    expect(loadCore('1', 2)).toBe('0');
  });

  it('leaves the load generator unpinned on a single core', () => {
    // GIVEN one core, which the server holds  WHEN the load's core is chosen  THEN there is none
    expect(loadCore('0', 1)).toBeUndefined();
  });
});

describe('loadCommand', () => {
  const target = { url: 'http://127.0.0.1:49180/', connections: 50, durationS: 20 };

  it('runs wrk as its own process pinned to the load core with taskset', () => {
    // GIVEN wrk and a free core 0  WHEN the command is built  THEN taskset pins wrk to core 0
    expect(loadCommand('wrk', { ...target, core: '0' })).toEqual({
      command: 'taskset',
      args: ['-c', '0', 'wrk', '-t1', '-c50', '-d20s', '--latency', 'http://127.0.0.1:49180/'],
    });
  });

  it("runs autocannon's CLI under node, unpinned when there is no free core", () => {
    // GIVEN autocannon and no core to spare  WHEN the command is built
    // THEN node runs autocannon's CLI with JSON output, without taskset
    const { command, args } = loadCommand('autocannon', target);
    expect(command).toBe(process.execPath);
    expect(args[0]).toMatch(/autocannon[\\/]autocannon\.js$/);
    expect(args.slice(1)).toEqual(['-j', '-c', '50', '-d', '20', '-p', '1', target.url]);
  });
});

describe('parseWrk', () => {
  it('reads throughput, p50 and p99 in ms, and counts socket errors and non-2xx answers', () => {
    // GIVEN wrk's output with --latency  WHEN parsed  THEN units are converted to ms
    expect(parseWrk(wrkOutput)).toEqual({
      requests: 379543,
      requestsPerSecond: 18977.15,
      latencyP50Ms: 0.812,
      latencyP99Ms: 1100,
      errors: 10,
    });
  });

  it('refuses output without a latency distribution', () => {
    // GIVEN wrk run without --latency  WHEN parsed  THEN it says what is missing
    expect(() => parseWrk(wrkOutput.replace(/ {5}99%.*\n/, ''))).toThrow(
      'wrk printed no 99% latency',
    );
  });

  it('refuses a run in which no request was answered', () => {
    // GIVEN a load that completed no request  WHEN parsed  THEN the run itself failed
    expect(() => parseWrk(wrkOutput.replace('379543 requests', '0 requests'))).toThrow(
      'no request was answered',
    );
  });
});

describe('parseAutocannonJson', () => {
  it('reads throughput, percentiles and errors from the CLI JSON', () => {
    // GIVEN autocannon -j output  WHEN parsed  THEN errors, timeouts and non-2xx add up
    const json = JSON.stringify({
      errors: 1,
      timeouts: 2,
      non2xx: 3,
      latency: { p50: 2, p99: 7 },
      requests: { average: 12000.5, total: 240010 },
    });
    expect(parseAutocannonJson(`${json}\n`)).toEqual({
      requests: 240010,
      requestsPerSecond: 12000.5,
      latencyP50Ms: 2,
      latencyP99Ms: 7,
      errors: 6,
    });
  });
});

describe('runOutcome', () => {
  it('exits 0 for a completed run that missed a target, and names the target', () => {
    // GIVEN a completed run whose cold start missed its target  WHEN its outcome is decided
    // THEN the exit code is 0 and the line names the missed target
    const outcome = runOutcome([
      { metric: 'throughput (req/s)', met: true },
      { metric: 'cold start, spawn → first 200 (ms)', met: false },
    ]);
    expect(outcome).toEqual({
      exitCode: 0,
      line: 'benchmark-app: run completed; 1 target missed: cold start, spawn → first 200 (ms)',
    });
  });

  it('says every target was met', () => {
    // GIVEN a completed run that met all targets  WHEN its outcome is decided  THEN it says so
    expect(runOutcome([{ metric: 'throughput (req/s)', met: true }])).toEqual({
      exitCode: 0,
      line: 'benchmark-app: run completed; every target met',
    });
  });
});
