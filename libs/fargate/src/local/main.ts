// `nx run infra:<deploy|status|logs|destroy>:local`: the thin shell over local-target.ts. Real
// engine (the `docker` CLI, DOCKER_HOST honoured), real template, real HTTP probe.
import { probeUrl } from '@hello-world/aws-ops';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { cliName, EXIT_FAILED, runCli, EXIT_USAGE, firstLine, UsageError } from '@hello-world/cli';
import { readDeploymentOrExit } from '../deployment';
import {
  AssemblyError,
  checkAssemblyEnvironment,
  readAssemblyStackNames,
} from '../diagram/cloud-assembly';
import { localCli, parseLocalArgs } from './local-args';
import { runLocal, type DockerResult } from './local-target';
import { nxRunStep } from './next-step';
import { LocalError } from './task-spec';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');
// The deployment run locally is the working directory's: the targets run in its project directory,
// in the environment --env names (else DEPLOY_ENV, else the default), whose container is its own.
const deployment = readDeploymentOrExit(`${process.argv[2] ?? 'deploy'}:local`);
const { names } = deployment;
// The environment's own service stack: its template holds its task settings.
const templatePath = join(deployment.assemblyDir, `${names.deployment}.template.json`);
const SYNTH = nxRunStep(deployment.project, 'synth', names.environment);
const dockerBuild = `${names.service}:docker-build`;

/** The environment's local secrets file (git-ignored): deploy:local's only source of secret values. */
const secretsPath = join(deployment.dir, '.secrets', `${names.environment}.env`);

function readSecretsFile(): string | undefined {
  try {
    return readFileSync(secretsPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LocalError(
      `cannot read ${relative(workspaceRoot, secretsPath)}: ${firstLine(error)}`,
    );
  }
}

function docker(args: string[], env?: Record<string, string>): DockerResult {
  // Secrets reach `docker run --env NAME` through the CLI's environment, never its arguments.
  const result = spawnSync('docker', args, {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  // A docker that cannot start is reported by engineError, with the engine's other failures.
  const spawnError = (result.error as NodeJS.ErrnoException | undefined)?.code;
  return {
    status: result.status ?? 1,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    ...(result.error ? { spawnError: spawnError ?? result.error.message } : {}),
  };
}

function dockerShown(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('docker', args, { stdio: 'inherit' });
    process.once('SIGINT', () => child.kill('SIGINT'));
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 0));
  });
}

function nxBin(): string {
  const packageJson = require.resolve('nx/package.json');
  const { bin } = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin: { nx: string } };
  return join(dirname(packageJson), bin.nx);
}

/**
 * The image comes from the service's real docker-build target (honours BASE_IMAGE), so the
 * local run uses the image a push would send. --allow-dirty: trying local edits is the point.
 */
function buildImage(): Promise<string> {
  return new Promise((resolve, reject) => {
    process.stderr.write(`building the image: nx run ${dockerBuild} --allow-dirty\n`);
    const child = spawn(
      process.execPath,
      [nxBin(), 'run', dockerBuild, '--allow-dirty', '--output-style=stream'],
      {
        cwd: workspaceRoot,
        env: { ...process.env, NX_DAEMON: 'false', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => reject(new LocalError(`cannot run nx: ${error.message}`)));
    child.on('close', (code) => {
      // eslint-disable-next-line no-control-regex
      const clean = output.replace(/\u001b\[[0-9;]*m/g, '');
      const image = /^(?:\S+: )?image: (\S+)$/m.exec(clean)?.[1];
      if (code === 0 && image) resolve(image);
      else reject(new LocalError(`${dockerBuild} failed (exit ${code}); its output is above`, 1));
    });
  });
}

/** Binds and releases 127.0.0.1:port, where the container's port is published. */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The base image the service's image builds FROM: BASE_IMAGE as docker-build takes it, else the
 * Dockerfile's default. The --replicas proxy runs there: no image source beyond the app's own.
 */
function readBaseImage(): string {
  const fromEnv = process.env['BASE_IMAGE'];
  if (fromEnv) return fromEnv;
  const dockerfile = join(workspaceRoot, 'apps', names.service, 'Dockerfile');
  let text = '';
  try {
    text = readFileSync(dockerfile, 'utf8');
  } catch {
    // Reported below with the way out.
  }
  const image = /^ARG BASE_IMAGE=(\S+)\s*$/m.exec(text)?.[1];
  if (!image) {
    throw new LocalError(
      `cannot read the base image from ${relative(workspaceRoot, dockerfile)}'s ARG BASE_IMAGE: set BASE_IMAGE to the image the service builds FROM`,
    );
  }
  return image;
}

function readTemplate(): unknown {
  let stacks: string[] | undefined;
  try {
    stacks = readAssemblyStackNames(deployment.assemblyDir, deployment.project);
    // Synth leaves other environments' templates behind: the manifest says whose the latest is.
    if (stacks) checkAssemblyEnvironment(stacks, names, deployment.project);
  } catch (error) {
    if (error instanceof AssemblyError) throw new LocalError(error.message);
    throw error;
  }
  if (!stacks || !existsSync(templatePath)) {
    throw new LocalError(`no synthesized template at ${templatePath}: run \`${SYNTH}\``);
  }
  try {
    return JSON.parse(readFileSync(templatePath, 'utf8'));
  } catch (error) {
    // A half-written or hand-edited template: synthesizing again replaces it.
    throw new LocalError(
      `cannot read ${templatePath} (${(error as Error).message}): run \`${SYNTH}\``,
    );
  }
}

async function main(): Promise<number> {
  try {
    const options = parseLocalArgs(process.argv.slice(2), process.env, Date.now(), {
      port: deployment.port,
      localContainer: names.localContainer,
    });
    return await runLocal(options, {
      docker,
      dockerShown,
      buildImage,
      readTemplate,
      secretsFile: { path: relative(workspaceRoot, secretsPath), read: readSecretsFile },
      containerName: names.service,
      project: deployment.project,
      environment: names.environment,
      replicaProxy: { baseImage: readBaseImage, script: join(__dirname, 'replica-proxy.ts') },
      isPortFree,
      probe: (url) => probeUrl(url),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (error) {
    // Prefixed with the nx target as typed (infra:deploy:local, greeter-infra:deploy:local), as
    // every script's errors are.
    process.stderr.write(
      `${cliName(localCli(deployment.project), process.argv.slice(2))}: ${firstLine(error)}\n`,
    );
    if (error instanceof LocalError) return error.exitCode;
    return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
  }
}

runCli(deployment.project, main);
