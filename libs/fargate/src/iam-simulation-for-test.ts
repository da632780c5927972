import { runSimulation } from '@cloud-copilot/iam-simulate';

/** The account and region the synthesized policies are evaluated in. */
export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'eu-west-1';

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': TEST_REGION,
  'AWS::AccountId': TEST_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** The ARN attributes CloudFormation returns, for the resource types our policies refer to. */
function getAtt(resources: Resources, [logicalId, attribute]: [string, string]): string {
  const resource = resources[logicalId];
  const prefix = (service: string) => `arn:aws:${service}:${TEST_REGION}:${TEST_ACCOUNT}`;
  if (resource?.Type === 'AWS::ECR::Repository' && attribute === 'Arn') {
    return `${prefix('ecr')}:repository/${String(resource.Properties['RepositoryName'])}`;
  }
  if (resource?.Type === 'AWS::Logs::LogGroup' && attribute === 'Arn') {
    return `${prefix('logs')}:log-group:${String(resource.Properties['LogGroupName'])}:*`;
  }
  throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute} in a policy`);
}

/**
 * A template value with its pseudo parameters, Fn::Sub of them, Fn::Join and the ARNs of named repositories and
 * log groups resolved, as CloudFormation would in TEST_ACCOUNT/TEST_REGION. Anything else is
 * refused: a policy that depends on it cannot be evaluated here, and the spec should say so.
 */
export function resolveTemplateValue(value: unknown, resources: Resources = {}): unknown {
  const resolve = (v: unknown) => resolveTemplateValue(v, resources);
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) {
    const name = object['Ref'] as string;
    if (!(name in PSEUDO)) throw new Error(`cannot resolve Ref ${name} in a policy`);
    return PSEUDO[name];
  }
  if ('Fn::Sub' in object) {
    const body = object['Fn::Sub'];
    if (typeof body !== 'string')
      throw new Error('cannot resolve Fn::Sub with variables in a policy');
    return body.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (!(name in PSEUDO)) throw new Error(`cannot resolve \${${name}} in a policy`);
      return PSEUDO[name];
    });
  }
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(resolve(part))).join(separator);
  }
  if ('Fn::GetAtt' in object) return getAtt(resources, object['Fn::GetAtt'] as [string, string]);
  const intrinsic = Object.keys(object).find((key) => key.startsWith('Fn::'));
  if (intrinsic) throw new Error(`cannot resolve ${intrinsic} in a policy`);
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolve(v)]));
}

export interface PolicyDocument {
  Version: string;
  Statement: Record<string, unknown>[];
}

/** The inline policies of the role with this RoleName in a synthesized template, resolved. */
export function inlinePoliciesOfRole(
  template: { Resources: Resources },
  roleName: string,
): { name: string; policy: PolicyDocument }[] {
  const role = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::IAM::Role' && r.Properties['RoleName'] === roleName,
  );
  if (!role) throw new Error(`no role named ${roleName} in the template`);
  const policies = (role.Properties['Policies'] ?? []) as {
    PolicyName: string;
    PolicyDocument: unknown;
  }[];
  return policies.map((p) => ({
    name: p.PolicyName,
    policy: resolveTemplateValue(p.PolicyDocument, template.Resources) as PolicyDocument,
  }));
}

/**
 * Every identity policy of the role with this RoleName in a synthesized template, resolved: its
 * inline policies, then the template's own managed policies it attaches (ManagedPolicyArns by Ref).
 * A managed policy from elsewhere cannot be evaluated here and throws.
 */
export function policiesOfRole(
  template: { Resources: Resources },
  roleName: string,
): { name: string; policy: PolicyDocument }[] {
  const role = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::IAM::Role' && r.Properties['RoleName'] === roleName,
  );
  const attached = (role?.Properties['ManagedPolicyArns'] ?? []) as unknown[];
  const managed = attached.map((reference) => {
    const id = (reference as { Ref?: string }).Ref;
    const policy = id ? template.Resources[id] : undefined;
    if (!id || policy?.Type !== 'AWS::IAM::ManagedPolicy') {
      throw new Error(
        `cannot resolve the managed policy ${JSON.stringify(reference)} of ${roleName}`,
      );
    }
    return {
      name: id,
      policy: resolveTemplateValue(
        policy.Properties['PolicyDocument'],
        template.Resources,
      ) as PolicyDocument,
    };
  });
  return [...inlinePoliciesOfRole(template, roleName), ...managed];
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** The resource's own policy, where AWS requires one to allow too (a KMS key policy). */
  readonly resourcePolicy?: PolicyDocument;
}

/**
 * What AWS would decide for one request by a role holding these identity policies (same account,
 * no SCP; the resource's policy when the request names one), per @cloud-copilot/iam-simulate. A request the simulator rejects
 * as malformed (an unknown action, a resource ARN of the wrong type, an unknown context key)
 * throws, so a typo in a spec's table cannot pass as "denied".
 */
export async function decide(
  policies: { name: string; policy: PolicyDocument }[],
  request: IamRequest,
): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${TEST_ACCOUNT}:role/under-test`,
        action: request.action,
        resource: { resource: request.resource, accountId: TEST_ACCOUNT },
        contextVariables: request.context ?? {},
      },
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(`the simulator rejected ${request.action}: ${JSON.stringify(result.errors)}`);
  }
  if (result.resultType !== 'single') {
    throw new Error(`expected one resource for ${request.action} on ${request.resource}`);
  }
  const ignored = result.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) {
    throw new Error(`context keys not valid for ${request.action}: ${ignored.join(', ')}`);
  }
  return result.overallResult as Decision;
}
