// Build-time only (the service stack's synth): kept out of the package's main entry so neither the
// Lambda bundle nor aws-ops, which import that entry, pull in esbuild.
import { buildSync } from 'esbuild';
import { dirname, join } from 'node:path';

/** The Lambda runtime this bundle targets; the stack's function runs the same major version. */
export const DNS_UPDATER_NODE_TARGET = 'node24';

const SHARED_SOURCE = dirname(require.resolve('@hello-world/shared'));

/**
 * The updater Lambda as one minified CommonJS file, for CloudFormation's inline ZipFile code with
 * handler `index.handler` (the service stack uses no asset bucket). The AWS SDK v3 clients stay
 * external: the Node.js runtime provides them.
 */
export function bundleDnsUpdater(): string {
  const result = buildSync({
    entryPoints: [join(__dirname, 'handler.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    target: DNS_UPDATER_NODE_TARGET,
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'silent',
    // The handler needs only shared's ingress module; its index also computes the deployment's
    // names at load time, which esbuild must keep (not provably pure): ~4 KB the Lambda never runs.
    alias: { '@hello-world/shared': join(SHARED_SOURCE, 'ingress.ts') },
  });
  return result.outputFiles[0].text;
}
