import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { synthesizeApp } from '../synth-for-test';
import {
  DEFAULT_SYNTHESIZED_DIR,
  WORKSPACE_ROOT,
  changePort,
  copySynthesizedAssembly,
  renameStacks,
  writeAssembly,
} from './test-assembly';

// Graphviz (WebAssembly, an ES module) cannot load inside Jest, so these specs run the real
// `nx run infra:diagram` entry point in its own Node process, as the target does.
const TSX_CLI = join(WORKSPACE_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const MAIN = join(__dirname, 'main.ts');

function runDiagramIn(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [TSX_CLI, MAIN, ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
// Where nx runs it: hello-world's deployment project.
const runDiagram = (...args: string[]) =>
  runDiagramIn(join(WORKSPACE_ROOT, 'apps', 'infra'), ...args);

/** The synthesized assembly with the service on another port, as `service`'s deployment names it. */
function assemblyWithPort(port: number, service = 'hello-world'): string {
  const assembly = copySynthesizedAssembly();
  changePort(assembly, port);
  const dir = mkdtempSync(join(tmpdir(), `assembly-${port}-`));
  writeAssembly(renameStacks(assembly, service), dir);
  return dir;
}

const files = ['architecture.svg', 'architecture.png', 'architecture.drawio'];

describe('infra:diagram', () => {
  jest.setTimeout(120_000);

  it('GIVEN the synthesized templates WHEN checked against docs/ THEN the committed diagram is up to date', () => {
    const run = runDiagram('--check');

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('GIVEN templates with another port WHEN checked against docs/ THEN every diagram file is reported stale', () => {
    const run = runDiagram('--check', '--assembly', assemblyWithPort(49001));

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'docs/architecture.svg, docs/architecture.png, docs/architecture.drawio no longer match the synthesized templates: run `npx nx run infra:diagram`',
    );
  });

  it('GIVEN templates with another port WHEN drawn THEN the picture shows the new port', () => {
    const out = mkdtempSync(join(tmpdir(), 'diagram-out-'));

    const run = runDiagram('--assembly', assemblyWithPort(49001), '--out', out);

    expect(run.status).toBe(0);
    const svg = readFileSync(join(out, 'architecture.svg'), 'utf8');
    expect(svg).toContain('in: tcp 49001 from AllowedIP');
    expect(svg).not.toContain('49000');
    expect(readFileSync(join(out, 'architecture.drawio'), 'utf8')).toContain('port 49001/tcp');
  });

  it('GIVEN the same templates WHEN drawn twice in separate processes THEN every file is byte-identical', () => {
    const first = mkdtempSync(join(tmpdir(), 'diagram-a-'));
    const second = mkdtempSync(join(tmpdir(), 'diagram-b-'));

    expect(runDiagram('--out', first).status).toBe(0);
    expect(runDiagram('--out', second).status).toBe(0);

    for (const file of files) {
      expect(readFileSync(join(second, file)).equals(readFileSync(join(first, file)))).toBe(true);
    }
  });

  it('GIVEN no synthesized templates WHEN drawn THEN one line says to run infra:synth and it exits 2', () => {
    const run = runDiagram('--assembly', mkdtempSync(join(tmpdir(), 'empty-')));

    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('run `npx nx run infra:synth` first');
  });

  it('GIVEN an unknown option WHEN run THEN it exits 2 with one line listing the options', () => {
    const run = runDiagram('--colour');

    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'infra:diagram: unknown option --colour: options are --check, --env, --assembly, --out, --help\n',
    );
  });

  it('GIVEN --help WHEN run THEN it prints the usage and exits 0', () => {
    const run = runDiagram('--help');

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: nx run infra:diagram \[-- --check\]/);
  });

  it('GIVEN an empty --out WHEN run THEN it exits 2 and writes nothing into the workspace root', () => {
    const run = runDiagram('--out=');

    expect(run.status).toBe(2);
    expect(run.stderr).toBe('infra:diagram: --out needs a directory, e.g. --out=docs\n');
    expect(existsSync(join(WORKSPACE_ROOT, 'architecture.svg'))).toBe(false);
  });

  it('GIVEN an --out below a file WHEN drawn THEN it exits 2 with one line naming the directory and the fix', () => {
    const run = runDiagram('--out=/dev/null/x');

    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'infra:diagram: cannot write to /dev/null/x (ENOTDIR): pass --out=<a directory>\n',
    );
  });
});

describe("greeter-infra:diagram (another deployment: docs/ is hello-world's)", () => {
  jest.setTimeout(120_000);
  let project: string;
  let defaultOut: string;

  beforeAll(() => {
    // GIVEN greeter's deployment project, whose cdk.json output holds its synthesized templates
    project = mkdtempSync(join(tmpdir(), 'greeter-infra-'));
    writeFileSync(
      join(project, 'cdk.json'),
      JSON.stringify({
        app: 'tsx infra.ts',
        output: assemblyWithPort(49010, 'greeter'),
        context: { service: 'greeter', port: 49010 },
      }),
    );
    writeFileSync(join(project, 'project.json'), JSON.stringify({ name: 'greeter-infra' }));
    // Outside the workspace, its root is its folder: dist/<folder>/diagram.
    defaultOut = join('dist', basename(project), 'diagram');
  });
  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    rmSync(join(WORKSPACE_ROOT, 'dist', basename(project)), { recursive: true, force: true });
  });

  it("GIVEN no --out WHEN drawn THEN it writes under dist, says where, and leaves hello-world's docs alone", () => {
    const docs = files.map((file) => readFileSync(join(WORKSPACE_ROOT, 'docs', file)));

    const run = runDiagramIn(project);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      `greeter-infra:diagram: wrote ${files.map((file) => join(defaultOut, file)).join(', ')}\n`,
    );
    expect(readFileSync(join(WORKSPACE_ROOT, defaultOut, 'architecture.svg'), 'utf8')).toContain(
      'in: tcp 49010 from AllowedIP',
    );
    files.forEach((file, i) =>
      expect(readFileSync(join(WORKSPACE_ROOT, 'docs', file)).equals(docs[i] as Buffer)).toBe(true),
    );
  });

  it('GIVEN an unknown option WHEN run THEN the line starts with greeter-infra:diagram', () => {
    const run = runDiagramIn(project, '--colour');

    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'greeter-infra:diagram: unknown option --colour: options are --check, --env, --assembly, --out, --help\n',
    );
  });

  it('GIVEN --help WHEN run THEN the usage names greeter-infra:diagram and its default --out', () => {
    const run = runDiagramIn(project, '--help');

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: nx run greeter-infra:diagram \[-- --check\]/);
    expect(run.stdout).toContain(`[--out DIR (default ${defaultOut})]`);
  });
});

describe('infra:diagram --env (another environment: drawn under dist, docs/ untouched)', () => {
  jest.setTimeout(120_000);
  let stagingAssembly: string;
  const stagingOut = join('dist', 'apps', 'infra', 'diagram', 'staging');

  beforeAll(() => {
    // GIVEN staging's templates, synthesized as `DEPLOY_ENV=staging nx run infra:synth` does
    stagingAssembly = synthesizeApp({ environment: 'staging' }).assembly.directory;
  });
  afterAll(() => rmSync(join(WORKSPACE_ROOT, stagingOut), { recursive: true, force: true }));

  it("GIVEN staging's templates WHEN drawn with --env=staging THEN staging's names, under dist, docs untouched", () => {
    const docs = files.map((file) => readFileSync(join(WORKSPACE_ROOT, 'docs', file)));

    const run = runDiagram('--env=staging', '--assembly', stagingAssembly);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      `infra:diagram: wrote ${files.map((file) => join(stagingOut, file)).join(', ')}\n`,
    );
    // Graphviz writes each hyphen as &#45;
    const svg = readFileSync(join(WORKSPACE_ROOT, stagingOut, 'architecture.svg'), 'utf8');
    expect(svg.replaceAll('&#45;', '-')).toContain('stack hello-world-ecr-ecs-fargate-staging<');
    files.forEach((file, i) =>
      expect(readFileSync(join(WORKSPACE_ROOT, 'docs', file)).equals(docs[i] as Buffer)).toBe(true),
    );
  });

  it("GIVEN staging's templates WHEN the default's docs are checked THEN refused in one line, exit 2", () => {
    // GIVEN the last synth was staging's  WHEN docs/architecture.* are checked against it
    const run = runDiagram('--check', '--assembly', stagingAssembly);

    // THEN it does not call the docs stale: the templates are the wrong environment's
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^infra:diagram: The synthesized templates are not environment default's \(no stack hello-world-ecr-ecs-fargate; .*\): run `npx nx run infra:synth` first\.\n$/,
    );
  });

  it("GIVEN the default's templates WHEN --env=pr-12 is drawn THEN one line: synthesize pr-12 first, exit 2", () => {
    const run = runDiagram('--env=pr-12', '--assembly', DEFAULT_SYNTHESIZED_DIR);

    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^infra:diagram: The synthesized templates are not environment pr-12's .*: run `npx nx run infra:synth -- --env=pr-12` first\.\n$/,
    );
  });

  it("GIVEN DEPLOY_ENV=staging WHEN --help THEN the default --out is staging's folder", () => {
    const run = spawnSync(process.execPath, [TSX_CLI, MAIN, '--help'], {
      cwd: join(WORKSPACE_ROOT, 'apps', 'infra'),
      encoding: 'utf8',
      env: { ...process.env, DEPLOY_ENV: 'staging' },
    });

    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`[--out DIR (default ${stagingOut})]`);
  });
});
