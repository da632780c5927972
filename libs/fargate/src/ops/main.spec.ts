import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The real entry point, as `npx nx run infra:<command>` runs it: tsx, a fresh process, real SDK.
const root = resolve(__dirname, '../../../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const main = join(__dirname, 'main.ts');
/** Where nx runs it: hello-world's deployment project, whose cdk.json names the deployment. */
const deploymentDir = join(root, 'apps', 'infra');
let home: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ops-home-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Runs the CLI with no AWS_* variables and an empty HOME: no credentials anywhere. */
function runCli(args: string[], extraEnv: Record<string, string> = {}) {
  const env: Record<string, string> = { HOME: home, PATH: process.env['PATH'] ?? '', ...extraEnv };
  const result = spawnSync(tsx, [main, ...args], {
    cwd: deploymentDir,
    env,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ops CLI entry point', () => {
  it('GIVEN no credentials WHEN status runs THEN prints one line and exits 2', () => {
    const { code, stdout, stderr } = runCli(['status']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'infra:status: no AWS credentials found: run `aws configure` or `aws sso login`, or name a profile with --profile NAME (infra:deploy passes it along its chain) or AWS_PROFILE=NAME\n',
    );
  });

  it('GIVEN --profile naming a profile that does not exist THEN names it and how to create it, exit 2', () => {
    const { code, stderr } = runCli(['status', '--profile=nope']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'infra:status: AWS profile "nope" not found or has no credentials: run `aws configure --profile nope` (or `aws sso login --profile nope`)\n',
    );
  });

  it('GIVEN AWS_ENDPOINT_URL that is not a URL THEN says how to set it, exit 2 (not a TypeError)', () => {
    const { code, stderr } = runCli(['status'], {
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_ENDPOINT_URL: 'not-a-url',
    });
    expect(code).toBe(2);
    expect(stderr).toBe(
      'infra:status: AWS_ENDPOINT_URL "not-a-url" is not a URL: set it like http://localhost:4566, or unset it\n',
    );
  });

  it('GIVEN AWS_ENDPOINT_URL pointing at nothing THEN reports the unreachable endpoint and exits 2', () => {
    const { code, stderr } = runCli(['url', '--region', 'us-east-1'], {
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(code).toBe(2);
    expect(stderr).toBe(
      'infra:url: cannot reach AWS in us-east-1 (ECONNREFUSED): check your network, proxy or AWS_ENDPOINT_URL\n',
    );
  });

  it('GIVEN destroy without a terminal or --yes THEN refuses before calling AWS, exit 2', () => {
    const { code, stderr } = runCli(['destroy']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'infra:destroy: destroy asks before deleting stack hello-world-ecr-ecs-fargate: run it in a terminal, or pass --yes\n',
    );
  });

  it('GIVEN --help THEN prints usage and exits 0', () => {
    const { code, stdout } = runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npx nx run infra:<command>');
  });
});

describe('logs --follow against an AWS-compatible endpoint (AWS_ENDPOINT_URL)', () => {
  const STACK_XML = `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>hello-world-ecr-ecs-fargate</StackName><StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/hello-world-ecr-ecs-fargate/1a2b</StackId><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-11-25T18:00:00Z</CreationTime></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>`;

  it('GIVEN new log events on every poll THEN prints them and Ctrl-C ends it with exit 0', async () => {
    let polls = 0;
    // CloudFormation speaks XML (query protocol); CloudWatch Logs speaks JSON 1.1 (x-amz-target).
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (String(req.headers['x-amz-target']).endsWith('.FilterLogEvents')) {
          polls += 1;
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(
            JSON.stringify({
              events: [
                {
                  eventId: String(polls),
                  timestamp: Date.now() + polls,
                  message: `line ${polls}`,
                  logStreamName: 'ecs/hello-world/a1b2c3d4e5f64718293a4b5c6d7e8f90',
                },
              ],
            }),
          );
        } else {
          res.writeHead(200, { 'content-type': 'text/xml' }).end(STACK_XML);
        }
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const child = spawn(tsx, [main, 'logs', '--follow'], {
      cwd: deploymentDir,
      env: {
        HOME: home,
        PATH: process.env['PATH'] ?? '',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // Wait for two polls' lines (or an early exit, which then fails the assertions below).
    await Promise.race([
      exited,
      new Promise<void>((done) =>
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          if (stdout.includes('line 2')) done();
        }),
      ),
    ]);
    child.kill('SIGINT');
    const code = await exited;
    server.close();
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^\S+Z a1b2c3d4 line 1\n\S+Z a1b2c3d4 line 2\n/);
  }, 30_000);
});
