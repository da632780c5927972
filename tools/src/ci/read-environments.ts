// npx tsx tools/src/ci/read-environments.ts <previews|has|image-tag> ... <file>: reads the output
// of `nx run infra:envs -- --json` (saved to a file, Nx's lines around it allowed) for the
// workflows: the previews to sweep as a JSON list (a matrix), whether one environment is
// deployed, and the image tag one runs (release.yml checks staging's before promoting).
import { readFileSync } from 'node:fs';
import { EXIT_FAILED, EXIT_OK, readCliCommand, runCli, UsageError } from '@hello-world/cli';
import { imageTagOf, listPreviews, readEnvironments } from './environments-json';

const NAME = 'read-environments';
const { command, args, values } = readCliCommand({
  name: NAME,
  commandName: () => NAME,
  usage: `usage: npx tsx tools/src/ci/read-environments.ts <command> ... <file with infra:envs --json output>
  previews <file>                            the pr-<number> environments as a JSON list, e.g. ["pr-7","pr-12"]
  has <environment> <file>                   true when the environment is in the list, else false
  image-tag <environment> <file> [--expect=TAG]
                                             the image tag it runs; --expect: fail unless it is TAG
Exit codes: 0 printed, 1 the image tag is not the expected one, 2 bad usage, no list in the file, or an environment not deployed.`,
  commands: ['previews', 'has', 'image-tag'],
  commandArgs: {
    previews: ['<file>'],
    has: ['<environment>', '<file>'],
    'image-tag': ['<environment>', '<file>'],
  },
  options: {
    expect: { type: 'string', example: 'sha-1a2b3c4-ecr-ecs-fargate', commands: ['image-tag'] },
  },
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
  if (command === 'has') {
    console.log(String(entries.some((e) => e.name === environment)));
    return EXIT_OK;
  }
  const tag = imageTagOf(entries, environment);
  if (values.expect !== undefined && values.expect !== tag) {
    console.error(
      `${NAME}: ${environment} runs ${tag}, not ${values.expect}: deploy ${values.expect} to ${environment} first (or wait for its deploy), then run again`,
    );
    return EXIT_FAILED;
  }
  console.log(tag);
  return EXIT_OK;
});
