/**
 * The arguments `cdk synth` gets from the synth target's command line. The targets that depend on
 * synth (deploy, deploy-registry, diff, diagram, cost) forward their own options to it (params:
 * forward), so that `--env=NAME` synthesizes that environment; their other options (--image-tag,
 * --port, --json, --timeout 600, --help, …) are theirs, not cdk synth's. So only CDK context
 * reaches cdk synth (`-c key=value`, `--context key=value`, `--context=key=value`), and where to
 * write the assembly (`-o DIR`, `--output DIR`, `--output=DIR`: infra:promote synthesizes the
 * target environment into an assembly of its own, and no target of the chain has --output); --env is read
 * separately (bin/synth.ts passes it as DEPLOY_ENV) and everything else is dropped, values of the
 * space form included, since nothing can tell `--timeout 600` from a flag and a stack name.
 */
export function cdkSynthArgs(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    const next = argv[i + 1];
    if ((arg === '-c' || arg === '--context') && next !== undefined && isContextPair(next)) {
      kept.push(arg, next);
      i++;
    } else if (arg.startsWith('--context=') && isContextPair(arg.slice('--context='.length))) {
      kept.push(arg);
    } else if (
      (arg === '-o' || arg === '--output') &&
      next !== undefined &&
      !next.startsWith('-')
    ) {
      kept.push(arg, next);
      i++;
    } else if (arg.startsWith('--output=') && arg.length > '--output='.length) {
      kept.push(arg);
    }
  }
  return kept;
}

/** `key=value`, as the CDK CLI's --context takes it. */
function isContextPair(value: string): boolean {
  return /^[^=\s-][^=\s]*=/.test(value);
}
