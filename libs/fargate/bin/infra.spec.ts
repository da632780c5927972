import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tsx = join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
const entry = join(__dirname, 'infra.ts');

/** Runs the real CDK app entry as the CLI would, with no AWS credentials or settings at all. */
function runApp(extraEnv: Record<string, string>, cwd?: string) {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-synth-'));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('AWS_') && !key.startsWith('CDK_'),
    ),
  );
  const run = spawnSync(tsx, [entry], {
    env: { ...env, CDK_OUTDIR: outdir, ...extraEnv },
    encoding: 'utf8',
    ...(cwd ? { cwd } : {}),
  });
  return { ...run, outdir };
}

describe('bin/infra.ts', () => {
  it('writes both templates with no AWS credentials', () => {
    // GIVEN no AWS_* variables  WHEN the app runs  THEN both stack templates are written
    const run = runApp({});
    try {
      expect(run.status).toBe(0);
      expect(
        existsSync(join(run.outdir, 'hello-world-ecr-ecs-fargate-registry.template.json')),
      ).toBe(true);
      expect(existsSync(join(run.outdir, 'hello-world-ecr-ecs-fargate.template.json'))).toBe(true);
    } finally {
      rmSync(run.outdir, { recursive: true, force: true });
    }
  }, 60_000);

  it('passes the Control Tower checks with controlTower=strict, every exemption used', () => {
    // GIVEN CONTROL_TOWER=strict  WHEN the app runs  THEN exit 0 and no stale-exemption line
    const run = runApp({ CONTROL_TOWER: 'strict' });
    try {
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    } finally {
      rmSync(run.outdir, { recursive: true, force: true });
    }
  }, 60_000);

  it('stops on an invalid value with one line and no stack trace', () => {
    // GIVEN a CPU/memory pair Fargate does not offer  WHEN the app runs  THEN exit 2, one line
    const run = runApp({ TASK_CPU: '256', TASK_MEMORY_MIB: '4096' });
    try {
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        'infra: Invalid memoryMiB "4096" (from env TASK_MEMORY_MIB): Fargate has no 256 CPU / 4096 MiB task; ' +
          'with 256 CPU use 512, 1024, 2048 MiB. Set context "memoryMiB" or env TASK_MEMORY_MIB, or unset it for 512.',
      ]);
      expect(existsSync(join(run.outdir, 'manifest.json'))).toBe(false);
    } finally {
      rmSync(run.outdir, { recursive: true, force: true });
    }
  }, 60_000);

  it("GIVEN greeter's deployment project (greeter-infra) WHEN a value is invalid THEN its one line starts with greeter-infra:", () => {
    // GIVEN the CDK CLI starting the app in apps/greeter-infra, as it does for its cdk.json
    const project = mkdtempSync(join(tmpdir(), 'greeter-infra-'));
    writeFileSync(
      join(project, 'cdk.json'),
      JSON.stringify({ app: 'tsx infra.ts', context: { service: 'greeter', port: 49010 } }),
    );
    writeFileSync(join(project, 'project.json'), JSON.stringify({ name: 'greeter-infra' }));
    // WHEN a CPU/memory pair Fargate does not offer is set
    const run = runApp({ TASK_CPU: '256', TASK_MEMORY_MIB: '4096' }, project);
    try {
      // THEN exit 2 and one line prefixed with greeter-infra, not hello-world's infra
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        'greeter-infra: Invalid memoryMiB "4096" (from env TASK_MEMORY_MIB): Fargate has no 256 CPU / 4096 MiB task; ' +
          'with 256 CPU use 512, 1024, 2048 MiB. Set context "memoryMiB" or env TASK_MEMORY_MIB, or unset it for 512.',
      ]);
    } finally {
      rmSync(run.outdir, { recursive: true, force: true });
      rmSync(project, { recursive: true, force: true });
    }
  }, 60_000);
});
