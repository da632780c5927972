import { checkEndpointUrls, readAwsProfile } from '@hello-world/aws-ops';
import { DEFAULT_REGION, isAwsRegion } from '@hello-world/shared';
import { parseCli, UsageError, type OptionSpecs } from '@hello-world/cli';
import type { FindingSeverity } from '@hello-world/aws-ops';
import { ConfigError } from '../config';
import { readParameterOverrides } from '../deploy-command';
import { DEFAULT_MAX_SEVERITY, SCAN_GATE_OPTIONS } from './scan-gate';

/**
 * The usage of a deployment project's deploy target (`infra`, `greeter-infra`), whose service
 * (`hello-world`, `greeter`) has the docker-push target of the chain.
 */
export function deployUsage(project: string, service: string): string {
  return `Usage: npx nx run ${project}:deploy [-- options]
  Nx runs the chain as tasks, each once: ${project}:synth → ${project}:deploy-registry (registry stack) →
  ${service}:docker-push (image, skipped when the tag is in ECR) → ${project}:deploy (service stack
  → wait for the rollout → tag the image deployed-<stack> → URL, checked from here → receipt).
  The options reach every step (dependsOn params: forward); each reads its own.
Options:
  --env=NAME         the environment (default: DEPLOY_ENV, else the default one, whose names are
                     the reference's): its service stack <stack>-NAME, its cdk.json settings, the
                     shared registry; another environment's first deploy also deploys its roles stack
  --image-tag=TAG    deploy this tag (must be in ECR already) instead of the current build's
  --allowed-ip=CIDR  who may reach the service port (default: keep the stack's; a network address,
                     e.g. 203.0.113.7/32; 0.0.0.0/0 is the whole internet and is warned about)
  --alert-email=ADDR subscribe ADDR to the environment's alarm topic (SNS mails it a link to
                     confirm); kept by later deploys (default: keep the stack's; a first deploy
                     takes the settings' alertEmail); --alert-email= (empty) removes it
  --profile=NAME     AWS profile, default AWS_PROFILE
  --region=R         must be the region the stacks were synthesized for (synth reads AWS_REGION:
                     set AWS_REGION=R instead to deploy elsewhere)
  --timeout=20m      how long the deploy may take: the service stack's update and the rollout. Past
                     it the deploy is aborted and rolled back (exit 1, with the diagnosis)
  --no-rollback      past --timeout, leave the stack update or rollout going (exit 1): watch it
                     with ${project}:status, stop it with ${project}:abort
  --abort            deploy nothing: stop the deploy in progress (anyone's) and wait for its
                     rollback, as ${project}:abort does; --timeout bounds the wait
  --max-severity=L   refuse an image whose scan on push finds anything at or above L:
                     INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL (default CRITICAL); the deploy
                     waits up to 5 minutes for a scan still running, and lists what it found
  --allow-vulnerable deploy anyway, with such findings or with no scan result in time (the receipt
                     records it)
  --switch-ingress   confirm a switch of the live environment's ingress mode (public-ip, dns, alb:
                     the synthesized one differs from the live stack's IngressMode) without a
                     terminal, e.g. in CI; in a terminal the deploy lists what is added, replaced
                     and removed and asks first
  --json             print the receipt as JSON on stdout (progress stays on stderr)
  --allow-dirty      build and push uncommitted changes (tagged sha-<sha>-dirty-<hash>)
  --registry-only    deploy only the registry stack (the ${project}:deploy-registry target); it skips
                     itself with --service-only or --print-tag, and says it leaves --image-tag,
                     --allowed-ip and --alert-email to the service stack
  --service-only     deploy only the service stack, with --image-tag=TAG already in ECR (what the
                     CI deploy role runs, with --exclude-task-dependencies); deploy-registry and
                     docker-push skip themselves. The registry stack must exist: an administrator
                     deploys it with ${project}:deploy-registry. Not with --allow-dirty
  Before any stack changes, every secret of the synthesized task definition must exist (SSM
  DescribeParameters, Secrets Manager DescribeSecret: names only, never values). Before the
  service stack changes, the image is checked: built for the task's CPU (the synthesized task
  definition's, e.g. CPU_ARCHITECTURE=ARM64) and scanned without findings at or above
  --max-severity. Ingress dns or alb (the synthesized stack's): before any stack changes, the
  hosted zone must exist, be public and hold the domain, and the domain must hold no address
  record but this deployment's; after the rollout dns runs its record updater once (Lambda
  Invoke: a deploy that starts no task sends it no event) and waits until Route 53 holds the
  running tasks' IPs.
  Accepted for the other steps: --print-tag, --project=P, --platform=P (docker-push's)`;
}

const DEFAULT_TIMEOUT_MS = 20 * 60_000;

/**
 * The options of the deploy chain's steps: Nx forwards the same ones to deploy-registry,
 * docker-push and deploy, so each accepts the others' (the shared CLI's spec, libs/cli).
 */
export const DEPLOY_OPTIONS = {
  // Read by the entry point (src/deployment.ts), which names the environment's stacks.
  env: { type: 'string', example: 'staging' },
  'image-tag': { type: 'string', example: 'sha-1a2b3c4-ecr-ecs-fargate' },
  'allowed-ip': { type: 'string', example: '203.0.113.7/32' },
  'alert-email': { type: 'string', example: 'ops@example.com' },
  profile: { type: 'string', example: 'dev' },
  timeout: { type: 'duration', default: DEFAULT_TIMEOUT_MS, example: '20m' },
  json: { type: 'boolean' },
  'registry-only': { type: 'boolean' },
  'service-only': { type: 'boolean' },
  'allow-dirty': { type: 'boolean' },
  abort: { type: 'boolean' },
  'no-rollback': { type: 'boolean' },
  'switch-ingress': { type: 'boolean' },
  ...SCAN_GATE_OPTIONS,
  region: { type: 'string', example: DEFAULT_REGION },
  // <service>:docker-push's, forwarded along the chain: accepted, read there.
  'print-tag': { type: 'boolean' },
  project: { type: 'string', example: 'hello-world' },
  platform: { type: 'string', example: 'linux/arm64' },
} as const satisfies OptionSpecs;

/** hello-world's (apps/infra). */
export const DEPLOY_USAGE = deployUsage('infra', 'hello-world');

export interface DeployOptions {
  help: boolean;
  /** --region: checked against the assembly's region, which the deploy uses. */
  region?: string;
  /**
   * Why infra:deploy-registry does nothing this time (--service-only, --print-tag forwarded by
   * the chain), said on stderr; absent, it deploys.
   */
  registrySkip?: string;
  /** Options for the service stack that deploy-registry was handed by the chain and leaves. */
  leftToService: string[];
  /** docker-push's --print-tag, handed along the chain: deploy-registry skips, deploy refuses. */
  printTag: boolean;
  imageTag?: string;
  allowedIp?: string;
  /** --alert-email: the AlertEmail parameter; '' removes the subscription. */
  alertEmail?: string;
  profile?: string;
  timeoutMs: number;
  json: boolean;
  registryOnly: boolean;
  /** Only the service stack, with an image already in ECR; the registry stack is only read. */
  serviceOnly: boolean;
  /** Passed to docker-push: build the image from uncommitted changes. */
  allowDirty: boolean;
  /** Deploy nothing: stop the deploy in progress and wait for its rollback. */
  abort: boolean;
  /** Past the timeout, leave the stack update or rollout going. */
  noRollback: boolean;
  /** The scan gate: refuse an image with findings at or above this severity. */
  maxSeverity: FindingSeverity;
  /** Deploy an image the scan gate would refuse; the receipt records it. */
  allowVulnerable: boolean;
  /** Confirms a change of the live stack's ingress mode without a terminal to ask at. */
  switchIngress?: boolean;
}

/**
 * Flags first, then IMAGE_TAG / ALLOWED_IP / AWS_PROFILE; the AWS endpoint variables are checked
 * too, before CDK or the SDK trip over them. Every bad value is one line (ConfigError).
 */
export function parseDeployArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): DeployOptions {
  let parsed;
  try {
    parsed = parseCli(argv, { options: DEPLOY_OPTIONS });
  } catch (error) {
    if (error instanceof UsageError) throw new ConfigError(error.message);
    throw error;
  }
  if (parsed.help) {
    return {
      help: true,
      leftToService: [],
      printTag: false,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      json: false,
      registryOnly: false,
      serviceOnly: false,
      allowDirty: false,
      abort: false,
      noRollback: false,
      maxSeverity: DEFAULT_MAX_SEVERITY,
      allowVulnerable: false,
    };
  }
  const values = parsed.values;
  if (values.region !== undefined && !isAwsRegion(values.region)) {
    throw new ConfigError(
      `--region ${JSON.stringify(values.region)} is not an AWS region, e.g. --region ${DEFAULT_REGION}`,
    );
  }
  // The chain hands every step the same options, so these are checked by its first step
  // (deploy-registry) already, before anything is deployed.
  if (values.abort) {
    const deploying = (
      [
        'image-tag',
        'allowed-ip',
        'alert-email',
        'allow-dirty',
        'no-rollback',
        'switch-ingress',
      ] as const
    ).find((f) => values[f] !== undefined && values[f] !== false);
    if (deploying) {
      throw new ConfigError(
        `--abort stops the deploy in progress and deploys nothing, so --${deploying} means nothing with it: drop one of them`,
      );
    }
  }
  if (values['service-only'] && values['allow-dirty']) {
    throw new ConfigError(
      '--allow-dirty builds and pushes the work tree, but --service-only deploys an image already in ECR: drop one of them',
    );
  }
  if (values['allow-dirty'] && values['image-tag'] !== undefined) {
    // Nothing is built then, so the flag would be silently ignored.
    throw new ConfigError(
      '--allow-dirty builds and pushes the work tree, but --image-tag deploys an image already in ECR: drop one of them',
    );
  }
  // Only the service stack takes these: deploy-registry says it leaves them, never drops them silently.
  const leftToService = values['registry-only']
    ? (['image-tag', 'allowed-ip', 'alert-email'] as const)
        .filter((f) => values[f] !== undefined)
        .map((f) => `--${f}`)
    : [];
  const registrySkip = values.abort
    ? '--abort stops a deploy in progress and deploys nothing'
    : values['service-only']
      ? '--service-only deploys only the service stack'
      : values['print-tag']
        ? '--print-tag only prints the image tag'
        : undefined;
  const overrides = readParameterOverrides(values, env);
  if (values['service-only'] && !overrides.imageTag && !values.abort) {
    // Nothing is built or pushed: without a tag there would be nothing to deploy.
    throw new ConfigError(
      '--service-only deploys an image already in ECR and builds nothing: add --image-tag=TAG (e.g. --image-tag=sha-1a2b3c4-ecr-ecs-fargate), or drop --service-only to build and deploy both stacks',
    );
  }
  const timeoutMs = values.timeout;
  // The same rules as the ops commands' (aws-ops), so `--profile=` or 'a b' fail here too.
  const profile = asConfigError(() => readAwsProfile(values.profile, env));
  asConfigError(() => checkEndpointUrls(env));
  return {
    help: false,
    ...(values.region ? { region: values.region } : {}),
    ...(registrySkip ? { registrySkip } : {}),
    leftToService,
    ...(overrides.imageTag ? { imageTag: overrides.imageTag } : {}),
    ...(overrides.allowedIp ? { allowedIp: overrides.allowedIp } : {}),
    ...(overrides.alertEmail !== undefined ? { alertEmail: overrides.alertEmail } : {}),
    ...(profile ? { profile } : {}),
    timeoutMs,
    json: values.json,
    registryOnly: values['registry-only'],
    printTag: values['print-tag'],
    serviceOnly: values['service-only'],
    allowDirty: values['allow-dirty'],
    abort: values.abort,
    noRollback: values['no-rollback'],
    maxSeverity: values['max-severity'],
    allowVulnerable: values['allow-vulnerable'],
    ...(values['switch-ingress'] ? { switchIngress: true } : {}),
  };
}

/** This CLI reports every bad value as a ConfigError, whichever shared check found it. */
function asConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}
