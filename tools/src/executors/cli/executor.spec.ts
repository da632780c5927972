import type { ExecutorContext } from '@nx/devkit';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Nx's own parse of the command line after `--` and its own option handling (the calls its task
// runner makes before any executor runs), so the tests see what `nx run infra:status --
// --env=staging` hands the executor.
import { createOverrides } from 'nx/src/utils/command-line-utils';
import { combineOptionsForExecutor } from 'nx/src/utils/params';
import { inferProjects } from '../../plugin/plugin';
import cliExecutor, {
  commandLine,
  exitCodeOf,
  forwardedArgs,
  quoteArg,
  type CliExecutorOptions,
} from './executor';

const SCHEMA = JSON.parse(readFileSync(join(__dirname, 'schema.json'), 'utf8'));
const RUN_COMMANDS_SCHEMA = JSON.parse(
  readFileSync(require.resolve('nx/src/executors/run-commands/schema.json'), 'utf8'),
);

/** No configuration named (`nx run infra:status`): Nx passes a falsy name. */
const NO_CONFIGURATION = '';

/** What Nx makes of `nx run <target> -- <args>`: the parsed options and the line as typed. */
function commandLineOverrides(args: string[]) {
  return createOverrides(args);
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-executor-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const context = () => ({ root: dir }) as ExecutorContext;

/** A command that writes the arguments it got (and its working directory) to argv.json. */
function recordArgv(): string {
  const script = join(dir, 'record-argv.cjs');
  writeFileSync(
    script,
    `require('fs').writeFileSync(${JSON.stringify(join(dir, 'argv.json'))}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }));\n`,
  );
  return `node ${quoteArg(script)}`;
}
const recorded = () =>
  JSON.parse(readFileSync(join(dir, 'argv.json'), 'utf8')) as { args: string[]; cwd: string };

describe('forwardedArgs', () => {
  it('GIVEN the command line after -- THEN the CLI gets it unchanged, --env included', () => {
    expect(
      forwardedArgs({
        cliCommand: 'x',
        env: 'staging',
        __unparsed__: ['--env', 'staging', '--json'],
      }),
    ).toEqual(['--env', 'staging', '--json']);
  });

  it('GIVEN env from the target options and no --env typed THEN the CLI gets --env=NAME', () => {
    expect(forwardedArgs({ cliCommand: 'x', env: 'production', __unparsed__: ['--json'] })).toEqual(
      ['--json', '--env=production'],
    );
  });

  it('GIVEN cliForwardArgs false THEN the CLI gets nothing, --env neither', () => {
    expect(
      forwardedArgs({
        cliCommand: 'x',
        env: 'staging',
        cliForwardArgs: false,
        __unparsed__: ['--env=staging'],
      }),
    ).toEqual([]);
  });
});

describe('commandLine', () => {
  it('GIVEN arguments with spaces and quotes THEN the shell reads each back as typed', () => {
    expect(
      commandLine({
        cliCommand: 'tsx main.ts logs',
        __unparsed__: ['--filter', "it's here", '--json'],
      }),
    ).toBe(`tsx main.ts logs --filter 'it'\\''s here' --json`);
  });
});

describe('exitCodeOf', () => {
  it('GIVEN a child killed by SIGINT THEN 130, as a shell reports it', () => {
    expect([exitCodeOf(3, null), exitCodeOf(null, 'SIGINT'), exitCodeOf(null, 'SIGTERM')]).toEqual([
      3, 130, 143,
    ]);
  });
});

describe('the Nx schema', () => {
  it('GIVEN -- --env=staging THEN Nx accepts it for the CLI executor, where it refuses it for nx:run-commands', () => {
    // The same target under each executor's own option names.
    const runCommands = { options: { command: 'tsx main.ts status', cwd: 'apps/infra' } };
    const cli = { options: { cliCommand: 'tsx main.ts status', cliCwd: 'apps/infra' } };
    const overrides = commandLineOverrides(['--env=staging']);
    const run = (schema: unknown, target: { options: Record<string, string> }) => () =>
      combineOptionsForExecutor(overrides, NO_CONFIGURATION, target, schema as never, 'infra', '');
    expect(run(RUN_COMMANDS_SCHEMA, runCommands)).toThrow("'staging' should be a 'object'");
    expect(run(SCHEMA, cli)()).toMatchObject({ env: 'staging', __unparsed__: ['--env=staging'] });
  });

  it("GIVEN -- --command='node -v' --cwd=/tmp --forward-all-args=false THEN the CLI gets all three, and the target's command and cwd stay its own", () => {
    // GIVEN infra:exec's options, and a command line naming options the exec CLI could have
    const target = { options: { cliCommand: 'tsx main.ts exec', cliCwd: 'apps/infra' } };
    const overrides = commandLineOverrides([
      '--command=node -v',
      '--cwd=/tmp',
      '--forward-all-args=false',
    ]);
    // WHEN Nx combines them for the executor
    const options = combineOptionsForExecutor(
      overrides,
      NO_CONFIGURATION,
      target,
      SCHEMA,
      'infra',
      '',
    ) as unknown as CliExecutorOptions;
    // THEN the shell runs the target's command in its directory, with the line appended as typed
    expect({
      cliCommand: options.cliCommand,
      cliCwd: options.cliCwd,
      line: commandLine(options),
    }).toEqual({
      cliCommand: 'tsx main.ts exec',
      cliCwd: 'apps/infra',
      line: `tsx main.ts exec '--command=node -v' --cwd=/tmp --forward-all-args=false`,
    });
  });
});

// Real child processes: generous on a loaded machine, where starting node can take seconds.
const RUN_TIMEOUT_MS = 60_000;

describe('cliExecutor: a real run', () => {
  jest.setTimeout(RUN_TIMEOUT_MS);

  it('GIVEN an inferred target given -- --env=staging --json THEN its command runs with --env=staging --json in the project directory', async () => {
    // GIVEN infra:status as the plugin infers it, pointed at a command that records its argv
    mkdirSync(join(dir, 'apps', 'infra'), { recursive: true });
    const { deployments } = inferProjects({
      images: [],
      deployments: [{ root: 'apps/infra', name: 'infra', service: undefined, output: undefined }],
      tables: { ops: ['status'], local: ['status'] },
    });
    const status = deployments['apps/infra']?.targets['status'];
    const target = { ...status, options: { ...status?.options, cliCommand: recordArgv() } };
    // WHEN Nx combines the command line with it and the executor runs it
    const options = combineOptionsForExecutor(
      commandLineOverrides(['--env=staging', '--json']),
      NO_CONFIGURATION,
      target,
      SCHEMA,
      'infra',
      '',
    ) as unknown as CliExecutorOptions;
    const result = await cliExecutor(options, context());
    // THEN the command got the line as typed, in apps/infra
    expect({ result, ...recorded() }).toEqual({
      result: { success: true },
      args: ['--env=staging', '--json'],
      cwd: join(dir, 'apps', 'infra'),
    });
  });

  it('GIVEN an inferred target given -- --command=x --cwd=/tmp THEN its own command runs in the project directory and gets both', async () => {
    // GIVEN infra:exec as the plugin infers it, pointed at a command that records its argv
    mkdirSync(join(dir, 'apps', 'infra'), { recursive: true });
    const { deployments } = inferProjects({
      images: [],
      deployments: [{ root: 'apps/infra', name: 'infra', service: undefined, output: undefined }],
      tables: { ops: ['exec'], local: [] },
    });
    const exec = deployments['apps/infra']?.targets['exec'];
    const target = { ...exec, options: { ...exec?.options, cliCommand: recordArgv() } };
    // WHEN Nx combines a command line naming the exec CLI's --command (and a --cwd) with it
    const options = combineOptionsForExecutor(
      commandLineOverrides(['--command=x', '--cwd=/tmp']),
      NO_CONFIGURATION,
      target,
      SCHEMA,
      'infra',
      '',
    ) as unknown as CliExecutorOptions;
    const result = await cliExecutor(options, context());
    // THEN the recording command ran (not `x`), in apps/infra (not /tmp), and got both options
    expect({ result, ...recorded() }).toEqual({
      result: { success: true },
      args: ['--command=x', '--cwd=/tmp'],
      cwd: join(dir, 'apps', 'infra'),
    });
  });

  it('GIVEN the :local configuration THEN its command replaces the default one and still gets --env', async () => {
    const target = {
      options: { cliCommand: 'exit 9' },
      configurations: { local: { cliCommand: recordArgv() } },
    };
    const options = combineOptionsForExecutor(
      commandLineOverrides(['--env', 'staging']),
      'local',
      target,
      SCHEMA,
      'infra',
      '',
    ) as unknown as CliExecutorOptions;
    expect(await cliExecutor(options, context())).toEqual({ success: true });
    expect(recorded().args).toEqual(['--env', 'staging']);
  });

  it('GIVEN a command that exits non-zero THEN the target fails', async () => {
    expect(await cliExecutor({ cliCommand: 'exit 2' }, context())).toEqual({ success: false });
  });

  it('GIVEN Nx stops the task with SIGTERM THEN the command gets SIGTERM and its own exit decides', async () => {
    // GIVEN a command that says it is ready, then waits for SIGTERM and exits 0 on it
    const ready = join(dir, 'ready');
    const script = `process.on('SIGTERM', () => { require('fs').writeFileSync(${JSON.stringify(join(dir, 'signal'))}, 'SIGTERM'); process.exit(0); }); require('fs').writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => {}, 1000);`;
    const others = process.listeners('SIGTERM');
    const running = cliExecutor({ cliCommand: `exec node -e ${quoteArg(script)}` }, context());
    // Polled, not timed: the test waits as long as the child takes to start.
    while (!existsSync(ready)) await new Promise((resolve) => setTimeout(resolve, 20));
    // WHEN the executor's process receives SIGTERM (its own handler called: Jest's worker has its own)
    const added = process.listeners('SIGTERM').filter((listener) => !others.includes(listener));
    for (const listener of added) listener('SIGTERM');
    // THEN the command got it and exited 0, so the target succeeds
    expect(await running).toEqual({ success: true });
    expect(readFileSync(join(dir, 'signal'), 'utf8')).toBe('SIGTERM');
  });

  it('GIVEN a workspace node_modules/.bin THEN its commands resolve before the PATH', async () => {
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(
      join(dir, 'node_modules', '.bin', 'say-args'),
      `#!/bin/sh\n${recordArgv()} "$@"\n`,
      {
        mode: 0o755,
      },
    );
    await cliExecutor({ cliCommand: 'say-args', __unparsed__: ['--env=staging'] }, context());
    expect(recorded().args).toEqual(['--env=staging']);
  });
});
