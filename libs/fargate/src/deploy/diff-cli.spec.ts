import { ConfigError } from '../config';
import { runDiffCli, type DiffCliDeps } from './diff-cli';

// What the SDK's default chain throws when nothing provides credentials.
const noCredentials = () =>
  Object.assign(new Error('Could not load credentials from any providers'), {
    name: 'CredentialsProviderError',
  });

function harness(overrides: Partial<DiffCliDeps> = {}) {
  const calls: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const deps: DiffCliDeps = {
    project: 'infra',
    env: {},
    readAssemblyRegion: () => 'eu-central-1',
    resolveCredentials: async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }),
    runCdkDiff: async (target) => {
      calls.push(`cdk diff ${target.region} ${target.profile ?? '(default)'}`);
      return 0;
    },
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    ...overrides,
  };
  return { deps, calls, out, err };
}

describe('runDiffCli', () => {
  it('GIVEN credentials THEN runs cdk diff in the assembly region with the profile', async () => {
    const h = harness();
    expect(await runDiffCli(['--profile=dev'], h.deps)).toBe(0);
    expect(h.calls).toEqual(['cdk diff eu-central-1 dev']);
  });

  it('GIVEN no credentials THEN one line saying how to sign in, exit 2, and no cdk diff', async () => {
    const h = harness({ resolveCredentials: () => Promise.reject(noCredentials()) });
    expect(await runDiffCli([], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:diff: no AWS credentials found: run `aws configure` or `aws sso login`, or name a profile with --profile NAME (infra:deploy passes it along its chain) or AWS_PROFILE=NAME',
    ]);
    expect(h.calls).toEqual([]);
  });

  it('GIVEN no synthesized assembly THEN its one line with the synth command, exit 2', async () => {
    const h = harness({
      readAssemblyRegion: () => {
        throw new ConfigError(
          'no cloud assembly at /ws/dist/apps/infra/cdk.out: run `npx nx run infra:synth`',
        );
      },
    });
    expect(await runDiffCli([], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:diff: no cloud assembly at /ws/dist/apps/infra/cdk.out: run `npx nx run infra:synth`',
    ]);
  });

  it('GIVEN an unknown option THEN one line pointing at --help, exit 2', async () => {
    const h = harness();
    expect(await runDiffCli(['--bogus'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      expect.stringMatching(
        /^infra:diff: unknown option --bogus: options are --profile, --env, --help$/,
      ),
    ]);
  });

  it('GIVEN cdk diff reports differences THEN its exit code passes through', async () => {
    const h = harness({ runCdkDiff: async () => 1 });
    expect(await runDiffCli([], h.deps)).toBe(1);
  });
});

describe('runDiffCli for another deployment (greeter-infra)', () => {
  it('GIVEN greeter-infra and an unknown option THEN the line starts with greeter-infra:diff, exit 2', async () => {
    const h = harness({ project: 'greeter-infra' });
    expect(await runDiffCli(['--bogus'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      expect.stringMatching(
        /^greeter-infra:diff: unknown option --bogus: options are --profile, --env, --help$/,
      ),
    ]);
  });

  it('GIVEN greeter-infra and --help THEN the usage names greeter-infra:diff', async () => {
    const h = harness({ project: 'greeter-infra' });
    expect(await runDiffCli(['--help'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toMatch(/^Usage: npx nx run greeter-infra:diff /);
  });
});
