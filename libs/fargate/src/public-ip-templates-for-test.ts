import { App } from 'aws-cdk-lib';
import { createStacks } from './app';
import { loadCiConfig } from './ci-config';
import { createCiStacks } from './ci-stack';
import { loadConfig } from './config';
import { readCdkJsonContext } from './synth-for-test';

/** Where the reviewed public-ip templates are kept (public-ip-templates.spec.ts). */
export const PUBLIC_IP_FIXTURE = `${__dirname}/__fixtures__/public-ip-templates.json`;

/**
 * The deployments whose templates the ingress modes must leave alone: the default environment,
 * a named environment (its roles stack), a preview, controlTower=strict, and the CI stacks.
 * None names an ingress, so each synthesizes in the default mode, public-ip.
 */
export const PUBLIC_IP_CASES: Readonly<Record<string, Record<string, unknown>>> = {
  default: {},
  staging: { environment: 'staging' },
  preview: { environment: 'pr-12' },
  strict: { controlTower: 'strict' },
  // The CI stacks: the default environment's deploy role and one per CI environment.
  ci: { githubRepository: 'octo-org/hello-world' },
};

/** The ci case keeps only the CI stacks: its other stacks are the default case's. */
const keptStacks = (caseName: string, stackName: string): boolean =>
  caseName !== 'ci' || /-ci(-|$)/.test(stackName);

/** Every template of one case by stack name, construct paths left out (they are not deployed). */
export function synthesizePublicIpCase(caseName: string): Record<string, unknown> {
  const context = PUBLIC_IP_CASES[caseName];
  const app = new App({ context: { ...readCdkJsonContext(), ...context } });
  const readContext = (key: string) => app.node.tryGetContext(key);
  const config = loadConfig(readContext, {});
  createStacks(app, config);
  const ci = loadCiConfig(readContext, {});
  if (ci) createCiStacks(app, config, ci);
  const assembly = app.synth();
  return Object.fromEntries(
    assembly.stacks
      .filter((stack) => keptStacks(caseName, stack.stackName))
      .map((stack) => [
        stack.stackName,
        JSON.parse(
          JSON.stringify(stack.template, (key, value) =>
            key === 'aws:cdk:path' ? undefined : value,
          ),
        ),
      ])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

/** Every case's templates, as the fixture holds them. */
export function synthesizePublicIpTemplates(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.keys(PUBLIC_IP_CASES).map((name) => [name, synthesizePublicIpCase(name)]),
  );
}
