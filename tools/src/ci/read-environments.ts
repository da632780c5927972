// npx tsx tools/src/ci/read-environments.ts <previews|has> ... <file>: reads the output of
// `nx run infra:envs -- --json` (saved to a file, Nx's lines around it allowed) for the preview
// workflows: the previews to sweep as a JSON list (a matrix), and whether one is deployed.
import { readFileSync } from 'node:fs';
import { EXIT_OK, readCliCommand, runCli, UsageError } from '@hello-world/cli';
import { listPreviews, readEnvironments } from './environments-json';

const NAME = 'read-environments';
const { command, args } = readCliCommand({
  name: NAME,
  commandName: () => NAME,
  usage: `usage: npx tsx tools/src/ci/read-environments.ts <command> ... <file with infra:envs --json output>
  previews <file>                            the pr-<number> environments as a JSON list, e.g. ["pr-7","pr-12"]
  has <environment> <file>                   true when the environment is in the list, else false
Exit codes: 0 printed, 2 bad usage, no list in the file, or a previews list naming another environment.`,
  commands: ['previews', 'has'],
  commandArgs: {
    previews: ['<file>'],
    has: ['<environment>', '<file>'],
  },
  options: {},
});

function readOutput(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}: save the output of infra:envs --json there first`);
  }
}

runCli(NAME, async () => {
  const file = args[args.length - 1] ?? '';
  const entries = readEnvironments(readOutput(file));
  if (command === 'previews') {
    console.log(JSON.stringify(listPreviews(entries)));
    return EXIT_OK;
  }
  const environment = args[0] ?? '';
  console.log(String(entries.some((e) => e.name === environment)));
  return EXIT_OK;
});
