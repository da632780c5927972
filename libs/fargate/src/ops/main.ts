import { createInterface } from 'node:readline/promises';
import { runCli, UsageError } from '@hello-world/cli';
import { createAwsClients, fetchCallerIp, probeUrl, systemClock } from '@hello-world/aws-ops';
import { readDeploymentOrExit } from '../deployment';
import { findOnPath, runInteractive } from './exec-plugin';
import { runOps } from './run';
import { secretValueReader } from './secrets-input';
import { readSecretSettings } from './secrets-settings';

// The thin shell: real clients, real terminal, Ctrl-C aborts waits and log follows cleanly.
// runOps turns every failure into one line and an exit code; runCli is the guard around it.
// The deployment operated is the working directory's: the targets run in its project directory.
const deployment = readDeploymentOrExit(process.argv[2] ?? 'ops');

/** One line typed on the terminal, the question on stderr so stdout stays the command's. */
async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

async function main(): Promise<number> {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return runOps(process.argv.slice(2), {
    env: process.env,
    createClients: (target) => createAwsClients(target),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    interactive: Boolean(process.stdin.isTTY),
    confirm: async (question) => /^y(es)?$/i.test((await ask(question)).trim()),
    ask,
    callerIp: () => fetchCallerIp(),
    probe: (url) => probeUrl(url),
    clock: systemClock,
    signal: controller.signal,
    deployment,
    readSecretValue: secretValueReader(
      process.stdin,
      process.stderr,
      () => new UsageError('the two entries differ: nothing set; run it again'),
    ),
    secretSettings: () => readSecretSettings(deployment.dir, deployment.names.environment),
    findExecutable: (name) => findOnPath(name, process.env),
    runInteractive,
  });
}

// Its project prefixes what nothing else caught (infra, greeter-infra).
runCli(deployment.project, main);
