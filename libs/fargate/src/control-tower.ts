import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import {
  Validations,
  type IPolicyValidationContextBeta1,
  type IPolicyValidationPluginBeta1,
  type PolicyValidationPluginReportBeta1,
} from 'aws-cdk-lib';
import { LOG_RETENTION_DAYS } from '@hello-world/shared';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IConstruct } from 'constructs';
import type { ControlTowerMode } from './config';
import type { RegistryStack } from './registry-stack';
import type { ServiceStack } from './service-stack';

/** The plugin's name, which prefixes its rule IDs in acknowledgements and the validation report. */
export const CONTROL_TOWER_PLUGIN = 'cdk-validator-cfnguard';

/** CT.CLOUDWATCH.PR.2's minimum, which controlTower=strict keeps the logs for. */
export const STRICT_LOG_RETENTION_DAYS = 365;

/** The one resource an exemption covers; the control stays on for everything else. */
export type ExemptResource = 'service' | 'publicSubnet' | 'logGroup' | 'cluster' | 'repository';

export interface ControlTowerExemption {
  /** The control's ID in the AWS Control Tower docs, as an organization enables it as a hook. */
  readonly control: string;
  /** The cfn-guard rule as the plugin reports it. */
  readonly rule: string;
  /** The bundled rule file's name (what CfnGuardValidator's `disabledRules` would take). */
  readonly ruleFile: string;
  readonly resource: ExemptResource;
  /** Why this design breaks the control; shown in the validation report. */
  readonly reason: string;
  /**
   * The reason when the service is behind a load balancer (ingress alb), where `reason` would
   * no longer be true.
   * @default reason
   */
  readonly reasonBehindLoadBalancer?: string;
  /** `controlTower=strict` meets the control, so the exemption applies to `reference` only. */
  readonly metByStrict: boolean;
}

/**
 * Every AWS Control Tower proactive control the templates break, each by name, on the one
 * resource that breaks it, with the reason. Anything not listed fails synth.
 */
export const CONTROL_TOWER_EXEMPTIONS: readonly ControlTowerExemption[] = [
  {
    control: 'CT.ECS.PR.9',
    rule: 'ecs_service_assign_public_ip_disabled_check',
    ruleFile: 'ct-ecs-pr-9',
    resource: 'service',
    reason:
      "The reference's design: the task runs in the one public subnet, with no NAT gateway, load " +
      'balancer or VPC endpoint, so its public IP is how users reach it (the URL deploy and status ' +
      'print, open to AllowedIP only) and how it pulls its image from ECR and sends its logs.',
    reasonBehindLoadBalancer:
      'With ingress alb the tasks keep a public IP only to reach ECR, S3 and CloudWatch Logs: ' +
      'there is no NAT gateway or VPC endpoint, and their security group admits the service port ' +
      "from the load balancer's security group and nothing else.",
    metByStrict: false,
  },
  {
    control: 'CT.EC2.PR.11',
    rule: 'subnet_auto_assign_public_ip_disabled_check',
    ruleFile: 'ct-ec2-pr-11',
    resource: 'publicSubnet',
    reason:
      "The reference's public subnet 10.0.1.0/24 maps public IPs on launch, a row of the reference " +
      "this project keeps; the only thing running in it is the service's task, whose public IP is " +
      'exempted from CT.ECS.PR.9 above.',
    reasonBehindLoadBalancer:
      "The reference's public subnet 10.0.1.0/24 maps public IPs on launch, a row of the reference " +
      "this project keeps (ingress alb adds 10.0.2.0/24, which does not); the service's tasks, " +
      'whose public IP is exempted from CT.ECS.PR.9 above, and the load balancer run in it.',
    metByStrict: false,
  },
  {
    control: 'CT.CLOUDWATCH.PR.2',
    rule: 'cloudwatch_log_group_retention_period_check',
    ruleFile: 'ct-cloudwatch-pr-2',
    resource: 'logGroup',
    reason:
      'The reference keeps the application logs 7 days (an environment may choose another period ' +
      'under a year with logRetentionDays); a year keeps up to 52 times as much log data billed as ' +
      'storage. controlTower=strict keeps them 365 days.',
    metByStrict: true,
  },
  {
    control: 'CT.CLOUDWATCH.PR.3',
    rule: 'cloudwatch_log_group_encrypted_check',
    ruleFile: 'ct-cloudwatch-pr-3',
    resource: 'logGroup',
    reason:
      'CloudWatch Logs encrypts every log group at rest with its own keys; a customer managed KMS ' +
      'key adds control over who may decrypt, at $1 a month or more. controlTower=strict adds one, ' +
      'rotated yearly and usable by CloudWatch Logs for this log group only.',
    metByStrict: true,
  },
  {
    control: 'CT.ECR.PR.3',
    rule: 'ecr_private_tag_immutability_enabled_check',
    ruleFile: 'ct-ecr-pr-3',
    resource: 'repository',
    reason:
      'Release (v*.*.*) and build (sha-*) tags are immutable through exclusion filters, but the ' +
      'control accepts only IMMUTABLE, which would stop the floating v{major} and v{major}.{minor} ' +
      'tags from moving to a new release. controlTower=strict makes every tag immutable, and ' +
      'docker-push then leaves the floating tags out.',
    metByStrict: true,
  },
  {
    control: 'CT.ECS.PR.2',
    rule: 'ecs_container_insights_enabled_check',
    ruleFile: 'ct-ecs-pr-2',
    resource: 'cluster',
    reason:
      'Container Insights bills its cluster, service and task-family metrics as CloudWatch custom ' +
      'metrics, while ECS already sends the CPU and memory utilization of the service for free. ' +
      'controlTower=strict turns it on (infra:cost prices it).',
    metByStrict: true,
  },
];

/**
 * The exemptions a mode needs: under `strict`, only the two the public-IP design breaks. Logs
 * kept a year or more (an environment's logRetentionDays) meet the retention control in either,
 * and so does an environment's containerInsights the Container Insights one.
 */
export function exemptionsFor(
  mode: ControlTowerMode,
  logRetentionDays: number = LOG_RETENTION_DAYS,
  containerInsights = false,
): ControlTowerExemption[] {
  return CONTROL_TOWER_EXEMPTIONS.filter(
    (e) =>
      (mode === 'reference' || !e.metByStrict) &&
      !(e.ruleFile === 'ct-cloudwatch-pr-2' && logRetentionDays >= STRICT_LOG_RETENTION_DAYS) &&
      !(e.ruleFile === 'ct-ecs-pr-2' && containerInsights),
  );
}

/** An exemption's ID as CDK's acknowledgements and validation-report.json spell it. */
export function acknowledgedId(exemption: Pick<ControlTowerExemption, 'rule'>): string {
  return `${CONTROL_TOWER_PLUGIN}::${exemption.rule}`;
}

/**
 * The Control Tower proactive controls as a CDK policy-validation plugin: cfn-guard and the
 * rules, both bundled with @cdklabs/cdk-validator-cfnguard, check every template of the app at
 * synth. No rule is disabled: an exemption is an acknowledgement on one resource, so the control
 * still fails any other resource that breaks it.
 *
 * The plugin reports its violations without a severity. Once any violation of a report is
 * acknowledged, CDK (2.276) recomputes the report's success from severities alone, and a
 * violation without one would no longer fail synth; so every violation is marked an error here.
 */
export class ControlTowerValidator implements IPolicyValidationPluginBeta1 {
  private readonly guard = new CfnGuardValidator({ controlTowerRulesEnabled: true });
  readonly name = this.guard.name;
  readonly version = this.guard.version;
  readonly ruleIds = this.guard.ruleIds;

  validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const report = this.guard.validate(context);
    return {
      ...report,
      violations: report.violations.map((v) => ({ ...v, severity: v.severity ?? 'error' })),
    };
  }
}

export interface ExemptStacks {
  /**
   * The stack with the repository the service pulls from. Left out for a preview: the previews'
   * repository acknowledges its own exemption, with a reason true of it (previews-stack.ts).
   */
  readonly registry?: Pick<RegistryStack, 'repository'>;
  readonly service: ServiceStack;
}

function resourceOf(stacks: ExemptStacks, resource: ExemptResource): IConstruct | undefined {
  const { app, network } = stacks.service;
  switch (resource) {
    case 'service':
      return app.service;
    case 'publicSubnet':
      return network.vpc.publicSubnets[0];
    case 'logGroup':
      return app.logGroup;
    case 'cluster':
      return app.cluster;
    case 'repository':
      return stacks.registry?.repository;
  }
}

/** Acknowledges each exemption of the mode on its resource, with its reason. */
export function acknowledgeControlTowerExemptions(
  stacks: ExemptStacks,
  mode: ControlTowerMode,
  logRetentionDays?: number,
  containerInsights?: boolean,
): void {
  for (const exemption of exemptionsFor(mode, logRetentionDays, containerInsights)) {
    const resource = resourceOf(stacks, exemption.resource);
    if (!resource) continue;
    const reason =
      stacks.service.alb && exemption.reasonBehindLoadBalancer
        ? exemption.reasonBehindLoadBalancer
        : exemption.reason;
    Validations.of(resource).acknowledge({
      id: acknowledgedId(exemption),
      reason: `${exemption.control}: ${reason}`,
    });
  }
}

interface ValidationReport {
  pluginReports?: {
    pluginName?: string;
    suppressedViolations?: { acknowledgedId?: string }[];
  }[];
}

/** validation-report.json as CDK writes it into the cloud assembly. */
export function readValidationReport(assemblyDir: string): unknown {
  return JSON.parse(readFileSync(join(assemblyDir, 'validation-report.json'), 'utf8'));
}

/**
 * The mode's exemptions that suppressed no violation in this report: the resource now meets the
 * control (or is gone), so the exemption only hides a future break and should be removed.
 */
export function unusedExemptions(
  report: unknown,
  mode: ControlTowerMode,
  logRetentionDays?: number,
  containerInsights?: boolean,
): ControlTowerExemption[] {
  const plugin = (report as ValidationReport).pluginReports?.find(
    (r) => r.pluginName === CONTROL_TOWER_PLUGIN,
  );
  const used = new Set((plugin?.suppressedViolations ?? []).map((v) => v.acknowledgedId));
  return exemptionsFor(mode, logRetentionDays, containerInsights).filter(
    (e) => !used.has(acknowledgedId(e)),
  );
}

/** One line per unused exemption, naming where to remove it. */
export function describeUnusedExemptions(unused: readonly ControlTowerExemption[]): string[] {
  return unused.map(
    (e) =>
      `Control Tower exemption ${e.control} (${e.rule}) on the ${e.resource} matched no violation: ` +
      'remove it from libs/fargate/src/control-tower.ts',
  );
}
