import { App, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createStacks, type InfraStacks } from './app';
import { createCiStack } from './ci-stack';
import { loadConfig } from './config';
import {
  CONTROL_TOWER_EXEMPTIONS,
  CONTROL_TOWER_PLUGIN,
  acknowledgedId,
  describeUnusedExemptions,
  exemptionsFor,
  readValidationReport,
  unusedExemptions,
} from './control-tower';
import { readCdkJsonContext } from './synth-for-test';

interface PluginReport {
  pluginName: string;
  conclusion: string;
  violations: { ruleName: string }[];
  suppressedViolations: { acknowledgedId: string; acknowledgedAt: string; reason: string }[];
}

/**
 * Synthesizes the app as bin/infra.ts does, after `change` (an edit a spec makes to break or
 * keep a control), and returns the validation report. Synth throws on an unacknowledged finding.
 */
function synthesize(
  context: Record<string, unknown> = {},
  change: (stacks: InfraStacks, app: App) => void = () => undefined,
): { report: unknown; controlTower: PluginReport } {
  const app = new App({ context: { ...readCdkJsonContext(), ...context } });
  const config = loadConfig((key) => app.node.tryGetContext(key), {});
  change(createStacks(app, config), app);
  const report = readValidationReport(app.synth().directory);
  const controlTower = (report as { pluginReports: PluginReport[] }).pluginReports.find(
    (r) => r.pluginName === CONTROL_TOWER_PLUGIN,
  );
  if (!controlTower) throw new Error('synth ran no Control Tower validation');
  return { report, controlTower };
}

/** The synth failure's message, which carries the validation report. */
function synthFailure(
  change: (stacks: InfraStacks, app: App) => void,
  context: Record<string, unknown> = {},
): string {
  try {
    synthesize(context, change);
  } catch (error) {
    return String(error);
  }
  throw new Error('expected synth to fail');
}

const acknowledgedIds = (plugin: PluginReport) =>
  [...new Set(plugin.suppressedViolations.map((v) => v.acknowledgedId))].sort();

describe('AWS Control Tower controls at synth, default configuration', () => {
  const synthesized = synthesize();

  it('GIVEN the default templates WHEN synthesized THEN no control fails outside the exemptions', () => {
    expect(synthesized.controlTower.violations).toEqual([]);
    expect(synthesized.controlTower.conclusion).toBe('success');
  });

  it('GIVEN the default templates WHEN synthesized THEN every exemption suppresses a real violation', () => {
    // Each acknowledged violation is one synth would fail on without its exemption.
    expect(acknowledgedIds(synthesized.controlTower)).toEqual(
      exemptionsFor('reference').map(acknowledgedId).sort(),
    );
    expect(unusedExemptions(synthesized.report, 'reference')).toEqual([]);
  });

  it('GIVEN the default templates WHEN synthesized THEN each exemption sits on its one resource with its reason', () => {
    const where = Object.fromEntries(
      synthesized.controlTower.suppressedViolations.map((v) => [
        `${v.acknowledgedId} @ ${v.acknowledgedAt}`,
        v.reason,
      ]),
    );
    const stack = 'hello-world-ecr-ecs-fargate';
    const paths: Record<string, string> = {
      service: `${stack}/App/Service`,
      publicSubnet: `${stack}/Network/Vpc/PublicSubnet1`,
      logGroup: `${stack}/App/LogGroup`,
      cluster: `${stack}/App/Cluster`,
      repository: `${stack}-registry/Repository`,
    };
    for (const e of exemptionsFor('reference')) {
      expect(where[`${acknowledgedId(e)} @ ${paths[e.resource]}`]).toBe(
        `${e.control}: ${e.reason}`,
      );
    }
  });
});

describe('AWS Control Tower controls at synth, controlTower=strict', () => {
  const synthesized = synthesize({ controlTower: 'strict' });

  it('GIVEN strict WHEN synthesized THEN only the two public-IP controls are exempted, and nothing fails', () => {
    expect(synthesized.controlTower.violations).toEqual([]);
    expect(acknowledgedIds(synthesized.controlTower)).toEqual([
      `${CONTROL_TOWER_PLUGIN}::ecs_service_assign_public_ip_disabled_check`,
      `${CONTROL_TOWER_PLUGIN}::subnet_auto_assign_public_ip_disabled_check`,
    ]);
    expect(unusedExemptions(synthesized.report, 'strict')).toEqual([]);
  });

  it('GIVEN strict WHEN synthesized THEN cdk-nag passes with Container Insights on and no ECS4 acknowledgement', () => {
    const nag = (synthesized.report as { pluginReports: PluginReport[] }).pluginReports.find(
      (r) => r.pluginName === 'AwsSolutions',
    );
    expect(nag?.violations).toEqual([]);
    expect(nag?.suppressedViolations.map((v) => v.acknowledgedId)).not.toContain(
      'AwsSolutions::AwsSolutions-ECS4',
    );
  });
});

describe('Container Insights on in the reference mode', () => {
  /** The acknowledgements recorded on the cluster (Validations.acknowledge's metadata). */
  const clusterAcknowledgements = (context: Record<string, unknown>): string[] => {
    let acknowledged: string[] = [];
    synthesize(context, ({ service }) => {
      acknowledged = service.app.cluster.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.keys(entry.data as Record<string, string>));
    });
    return acknowledged;
  };

  it('GIVEN containerInsights true WHEN synthesized THEN the cluster carries no ECS4 acknowledgement, whose reason says Insights is off', () => {
    expect(clusterAcknowledgements({})).toContain('AwsSolutions::AwsSolutions-ECS4');
    expect(clusterAcknowledgements({ containerInsights: true })).not.toContain(
      'AwsSolutions::AwsSolutions-ECS4',
    );
  });
});

describe('AWS Control Tower controls can fail synth', () => {
  it('GIVEN a service pinned to an old Fargate platform version WHEN synthesized THEN synth fails naming CT.ECS.PR.1', () => {
    const message = synthFailure(({ service }) => {
      (service.app.service.node.defaultChild as ecs.CfnService).platformVersion = '1.3.0';
    });
    expect(message).toContain('ecs_fargate_latest_platform_version_check');
    expect(message).toContain('CT.ECS.PR.1');
  });

  it('GIVEN a second log group kept 7 days WHEN synthesized THEN the app log group exemption does not cover it', () => {
    const message = synthFailure(({ service }) => {
      new logs.LogGroup(service, 'OtherLogs', { retention: logs.RetentionDays.ONE_WEEK });
    });
    expect(message).toContain('cloudwatch_log_group_retention_period_check');
    expect(message).toContain('hello-world-ecr-ecs-fargate/OtherLogs');
  });

  it('GIVEN the CI stack with an admin inline policy WHEN synthesized THEN its template fails CT.IAM.PR.1', () => {
    const message = synthFailure((_stacks, app) => {
      const config = loadConfig(() => undefined, {});
      const ci = createCiStack(app, config, {
        repository: 'octo-org/hello-world',
        environment: 'production',
      });
      new iam.CfnPolicy(ci, 'Admin', {
        policyName: 'admin',
        roles: ['someone'],
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        },
      });
    });
    expect(message).toContain('iam_inline_policy_no_statements_with_admin_access_check');
    expect(message).toContain('hello-world-ecr-ecs-fargate-ci/Admin');
  });
});

describe('unused exemptions', () => {
  it('GIVEN a report in which an exemption suppressed nothing WHEN checked THEN that exemption is named, with where to remove it', () => {
    const [kept, stale] = exemptionsFor('strict');
    const report = {
      pluginReports: [
        {
          pluginName: CONTROL_TOWER_PLUGIN,
          suppressedViolations: [{ acknowledgedId: acknowledgedId(kept) }],
        },
      ],
    };
    const unused = unusedExemptions(report, 'strict');
    expect(unused).toEqual([stale]);
    expect(describeUnusedExemptions(unused)).toEqual([
      `Control Tower exemption ${stale.control} (${stale.rule}) on the ${stale.resource} matched no violation: remove it from libs/fargate/src/control-tower.ts`,
    ]);
  });
});

describe('the exemption list', () => {
  const rulesDir = join(
    require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'),
    '..',
    'rules',
    'control-tower',
    'cfn-guard',
  );
  const ruleFiles = readdirSync(rulesDir).flatMap((dir) =>
    readdirSync(join(rulesDir, dir)).map((file) => join(rulesDir, dir, file)),
  );

  it.each(CONTROL_TOWER_EXEMPTIONS.map((e) => [e.control, e] as const))(
    'GIVEN %s WHEN looked up in the bundled rules THEN its file, rule name and control ID agree',
    (_control, exemption) => {
      const file = ruleFiles.find((f) => f.endsWith(`/${exemption.ruleFile}.guard`));
      expect(file).toBeDefined();
      const text = readFileSync(file ?? '', 'utf8');
      expect(text).toContain(`rule ${exemption.rule} `);
      expect(text).toContain(`[${exemption.control}]`);
    },
  );

  it('GIVEN the list WHEN read THEN only the two public-IP controls stay exempt under strict', () => {
    expect(exemptionsFor('strict').map((e) => e.control)).toEqual(['CT.ECS.PR.9', 'CT.EC2.PR.11']);
  });
});
