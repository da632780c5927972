import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { LOCAL_USAGE } from './local-args';

// The real entry point, as `npx nx run infra:<command>:local` runs it; only argument mistakes,
// which are refused before the engine or the template is touched.
const root = resolve(__dirname, '../../../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function runLocalCli(args: string[]) {
  const result = spawnSync(tsx, [join(__dirname, 'main.ts'), ...args], {
    // Where nx runs it: hello-world's deployment project.
    cwd: join(root, 'apps', 'infra'),
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('local CLI entry point', () => {
  it('GIVEN no command WHEN run THEN the usage on stderr and exit 2', () => {
    const { code, stdout, stderr } = runLocalCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${LOCAL_USAGE}\n`);
  });

  it('GIVEN an unknown option WHEN run THEN one line prefixed with the nx target and exit 2', () => {
    const { code, stdout, stderr } = runLocalCli(['status', '--bogus']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'infra:status:local: unknown option --bogus: options are --json, --name, --help\n',
    );
  });
});
