import type { AwsClients } from '@hello-world/aws-ops';
import { fakeClock } from '@hello-world/aws-ops/testing';
import { deploymentNames } from '@hello-world/shared';
import type { OpsDeps } from './run';

/** runOps' dependencies as the specs fake them, and what the command printed. */
export interface OpsHarness {
  deps: OpsDeps;
  out: string[];
  err: string[];
  /** Aborts deps.signal, as Ctrl-C does. */
  controller: AbortController;
}

/**
 * The ops CLI around mocked clients: no terminal to ask, the caller at 203.0.113.7, every URL
 * answering, a fake clock at 18:10 on the fixtures' day, and hello-world's deployment (apps/infra)
 * unless `overrides.deployment` names another.
 */
export function opsHarness(clients: AwsClients, overrides: Partial<OpsDeps> = {}): OpsHarness {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  return {
    out,
    err,
    controller,
    deps: {
      env: {},
      createClients: () => clients,
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      interactive: false,
      confirm: async () => false,
      ask: async () => '',
      callerIp: async () => '203.0.113.7',
      probe: async () => ({ ok: true, status: 200 }),
      clock: fakeClock(Date.parse('2026-11-25T18:10:00Z')),
      signal: controller.signal,
      deployment: { project: 'infra', names: deploymentNames('hello-world'), port: 49000 },
      readSecretValue: async () => undefined,
      secretSettings: () => ({ path: deploymentNames('hello-world').secretsPath, secrets: [] }),
      findExecutable: () => undefined,
      runInteractive: async () => 1,
      ...overrides,
    },
  };
}
