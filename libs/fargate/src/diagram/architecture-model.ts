import { DNS_RECORD_TTL_SECONDS, dnsOwnerRecordName, FLAVOUR_SUFFIX } from '@hello-world/shared';
import {
  listResources,
  regionOfAssembly,
  type CfnResource,
  type CfnTemplate,
  type CloudAssembly,
  type SynthesizedStack,
} from './cloud-assembly';
import { asArray, describeImageTag, describeValue, referencedId, refOf } from './template-values';

/** Decides the colour of a box: one per AWS service family, as on AWS's own diagrams. */
export type NodeKind =
  | 'compute'
  | 'network'
  | 'registry'
  | 'logs'
  | 'security'
  | 'external'
  | 'monitoring'
  | 'messaging';
export type GroupKind =
  'region' | 'stack' | 'vpc' | 'subnet' | 'securityGroup' | 'cluster' | 'monitoring';
/** `image` is the image's path from registry to task, drawn bold. */
export type EdgeKind = 'traffic' | 'image' | 'permission' | 'control';

export interface DiagramNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly title: string;
  readonly lines: readonly string[];
}

export interface DiagramGroup {
  readonly id: string;
  readonly kind: GroupKind;
  readonly title: string;
  readonly lines: readonly string[];
  readonly nodeIds: string[];
  readonly groups: DiagramGroup[];
}

export interface DiagramEdge {
  readonly from: string;
  /** A node id, or a group id when the edge ends at the group's border. */
  readonly to: string;
  readonly label: string;
  readonly kind: EdgeKind;
}

/** What the picture shows, independent of how it is drawn. */
export interface Architecture {
  readonly title: string;
  readonly nodes: readonly DiagramNode[];
  /** Top-level groups (the region); nodes outside every group are not in any nodeIds. */
  readonly groups: readonly DiagramGroup[];
  readonly edges: readonly DiagramEdge[];
}

interface Located {
  readonly stack: SynthesizedStack;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

const USERS = 'Users';
const PUBLISHER = 'ImagePublisher';

/** Graphviz and draw.io ids: letters and digits only, unique across stacks. */
function idOf(stack: SynthesizedStack, logicalId: string): string {
  return `${stack.name.replace(/[^A-Za-z0-9]/g, '_')}__${logicalId}`;
}

function props(located: Located): Record<string, unknown> {
  return located.resource.Properties ?? {};
}

/** `arn:…:repository/NAME` or `….dkr.ecr….amazonaws.com/NAME:tag` → NAME, from a joined value. */
function repositoryNameIn(value: unknown, template: CfnTemplate): string | undefined {
  const text = describeValue(value, template);
  return /repository\/([^:/]+)/.exec(text)?.[1] ?? /\/([^/:]+):/.exec(text)?.[1];
}

function describeActions(actions: string[]): string {
  const service = actions[0].split(':')[0];
  const names = actions.map((action) => action.split(':')[1] ?? action);
  return names.length <= 2
    ? `${service}:${names.join(', ')}`
    : `${service}: ${names.length} actions`;
}

/** `*.*.*-ecr-ecs-fargate` reads better as `*.*.*…`: the suffix is on every tag. */
function withoutSuffix(text: string): string {
  return text.split(FLAVOUR_SUFFIX).join('…');
}

class ArchitectureBuilder {
  readonly nodes: DiagramNode[] = [];
  readonly edges: DiagramEdge[] = [];
  private readonly groupsById = new Map<string, DiagramGroup>();
  private readonly placed = new Set<string>();
  private readonly resources: Located[];
  readonly root: DiagramGroup;

  constructor(assembly: CloudAssembly) {
    this.resources = listResources(assembly);
    this.root = this.group('Region', 'region', `AWS region ${regionOfAssembly(assembly)}`);
  }

  group(
    id: string,
    kind: GroupKind,
    title: string,
    parent?: DiagramGroup,
    lines: readonly string[] = [],
  ): DiagramGroup {
    const group: DiagramGroup = { id, kind, title, lines, nodeIds: [], groups: [] };
    this.groupsById.set(id, group);
    parent?.groups.push(group);
    return group;
  }

  node(node: DiagramNode, parent?: DiagramGroup): void {
    this.nodes.push(node);
    parent?.nodeIds.push(node.id);
  }

  edge(from: string, to: string, label: string, kind: EdgeKind): void {
    this.edges.push({ from, to, label, kind });
  }

  ofType(type: string): Located[] {
    return this.resources.filter((located) => located.resource.Type === type);
  }

  find(stack: SynthesizedStack, logicalId: string | undefined): Located | undefined {
    return this.resources.find((r) => r.stack === stack && r.logicalId === logicalId);
  }

  markPlaced(located: Located): void {
    this.placed.add(idOf(located.stack, located.logicalId));
  }

  unplaced(): Located[] {
    return this.resources.filter((r) => !this.placed.has(idOf(r.stack, r.logicalId)));
  }

  groupOf(id: string): DiagramGroup | undefined {
    return this.groupsById.get(id);
  }
}

function addRepositories(b: ArchitectureBuilder, stackGroups: Map<SynthesizedStack, DiagramGroup>) {
  for (const repo of b.ofType('AWS::ECR::Repository')) {
    const p = props(repo);
    const lines = [String(p['RepositoryName'] ?? repo.logicalId)];
    const scanning = p['ImageScanningConfiguration'] as { ScanOnPush?: boolean } | undefined;
    if (scanning?.ScanOnPush) lines.push('scan on push');
    const lifecycle = (p['LifecyclePolicy'] as { LifecyclePolicyText?: string } | undefined)
      ?.LifecyclePolicyText;
    const countRules = lifecycle
      ? (
          JSON.parse(lifecycle) as {
            rules: {
              selection: {
                countType?: string;
                countNumber?: number;
                tagPatternList?: string[];
                tagPrefixList?: string[];
              };
            }[];
          }
        ).rules.flatMap(({ selection }) =>
          selection.countType === 'imageCountMoreThan'
            ? [
                {
                  count: selection.countNumber ?? 0,
                  tags: [
                    ...(selection.tagPatternList ?? []),
                    ...(selection.tagPrefixList ?? []).map((prefix) => `${prefix}*`),
                  ].map(withoutSuffix),
                },
              ]
            : [],
        )
      : [];
    // The smallest count expires; rules with larger counts only keep (releases, deployed-*).
    const kept = Math.min(...countRules.map((rule) => rule.count));
    const forever = countRules.filter((rule) => rule.count > kept).flatMap((rule) => rule.tags);
    if (forever.length > 0) lines.push(`keeps every ${forever.join(' ')}`);
    const bounded = countRules.find((rule) => rule.count === kept);
    if (bounded) lines.push(`keeps the newest ${kept} ${bounded.tags.join(' ') || 'images'}`);
    const immutable = asArray(p['ImageTagMutabilityExclusionFilters']).map((filter) =>
      withoutSuffix(
        String((filter as Record<string, unknown>)['ImageTagMutabilityExclusionFilterValue']),
      ),
    );
    if (immutable.length > 0) lines.push(`immutable tags: ${immutable.join(' ')}`);
    else if (p['ImageTagMutability']) lines.push(`tags ${String(p['ImageTagMutability'])}`);
    b.node(
      { id: idOf(repo.stack, repo.logicalId), kind: 'registry', title: 'ECR repository', lines },
      stackGroups.get(repo.stack),
    );
    b.markPlaced(repo);
  }
  b.node({
    id: PUBLISHER,
    kind: 'external',
    title: 'Image build and push',
    lines: [
      `nx run ${pushedService(b)}:docker-push`,
      `tags sha-…, v…, latest (…= ${FLAVOUR_SUFFIX})`,
    ],
  });
  for (const repo of b.ofType('AWS::ECR::Repository')) {
    b.edge(PUBLISHER, idOf(repo.stack, repo.logicalId), 'docker push', 'image');
  }
}

/**
 * The service whose image is pushed: the task definition's container is named after it
 * (deploymentNames' service: hello-world, greeter), and its docker-push target too.
 */
function pushedService(b: ArchitectureBuilder): string {
  for (const taskDefinition of b.ofType('AWS::ECS::TaskDefinition')) {
    const containers = asArray(props(taskDefinition)['ContainerDefinitions']);
    const name = (containers[0] as ContainerDefinition | undefined)?.Name;
    if (name) return name;
  }
  return '<service>';
}

const AZ_ORDINALS = ['first', 'second', 'third'];

/** `{Fn::Select: [1, {Fn::GetAZs: ''}]}` → `second AZ`; '' for anything else. */
function availabilityZoneOf(value: unknown): string {
  const index = /"Fn::Select":\[(\d),\{"Fn::GetAZs"/.exec(JSON.stringify(value ?? null))?.[1];
  const ordinal = index === undefined ? undefined : AZ_ORDINALS[Number(index)];
  return ordinal ? `${ordinal} AZ` : '';
}

function addNetwork(b: ArchitectureBuilder, stackGroups: Map<SynthesizedStack, DiagramGroup>) {
  for (const vpc of b.ofType('AWS::EC2::VPC')) {
    const p = props(vpc);
    const dns = p['EnableDnsSupport'] && p['EnableDnsHostnames'] ? ' · DNS names' : '';
    b.group(
      idOf(vpc.stack, vpc.logicalId),
      'vpc',
      `VPC ${describeValue(p['CidrBlock'], vpc.stack.template)}${dns}`,
      stackGroups.get(vpc.stack),
    );
    b.markPlaced(vpc);
  }
  for (const subnet of b.ofType('AWS::EC2::Subnet')) {
    const p = props(subnet);
    const details = [
      availabilityZoneOf(p['AvailabilityZone']),
      p['MapPublicIpOnLaunch'] ? 'public IP on launch' : '',
    ].filter(Boolean);
    b.group(
      idOf(subnet.stack, subnet.logicalId),
      'subnet',
      `Subnet ${describeValue(p['CidrBlock'], subnet.stack.template)}`,
      b.groupOf(idOf(subnet.stack, refOf(p['VpcId']) ?? '')) ?? stackGroups.get(subnet.stack),
      details.length > 0 ? [details.join(' · ')] : [],
    );
    b.markPlaced(subnet);
  }
  for (const attachment of b.ofType('AWS::EC2::VPCGatewayAttachment')) {
    const p = props(attachment);
    const igw = b.find(attachment.stack, refOf(p['InternetGatewayId']));
    if (!igw) continue;
    b.node(
      {
        id: idOf(igw.stack, igw.logicalId),
        kind: 'network',
        title: 'Internet gateway',
        lines: ['attached to the VPC'],
      },
      b.groupOf(idOf(attachment.stack, refOf(p['VpcId']) ?? '')),
    );
    b.markPlaced(igw);
    b.markPlaced(attachment);
  }
  for (const table of b.ofType('AWS::EC2::RouteTable')) {
    const tableId = idOf(table.stack, table.logicalId);
    const routes = b
      .ofType('AWS::EC2::Route')
      .filter(
        (route) =>
          route.stack === table.stack && refOf(props(route)['RouteTableId']) === table.logicalId,
      );
    const lines = routes.map((route) => {
      const target = b.find(route.stack, refOf(props(route)['GatewayId']));
      const via =
        target?.resource.Type === 'AWS::EC2::InternetGateway' ? 'internet gateway' : 'target';
      return `${describeValue(props(route)['DestinationCidrBlock'], route.stack.template)} → ${via}`;
    });
    b.node(
      { id: tableId, kind: 'network', title: 'Route table', lines },
      b.groupOf(idOf(table.stack, refOf(props(table)['VpcId']) ?? '')),
    );
    b.markPlaced(table);
    for (const route of routes) {
      b.markPlaced(route);
      const gateway = refOf(props(route)['GatewayId']);
      if (gateway) b.edge(tableId, idOf(route.stack, gateway), 'default route', 'traffic');
    }
    for (const association of b.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
      const ap = props(association);
      if (association.stack !== table.stack || refOf(ap['RouteTableId']) !== table.logicalId)
        continue;
      b.edge(tableId, idOf(table.stack, refOf(ap['SubnetId']) ?? ''), 'associated', 'control');
      b.markPlaced(association);
    }
  }
}

interface Rule {
  readonly IpProtocol?: string;
  readonly FromPort?: number;
  readonly ToPort?: number;
  readonly CidrIp?: unknown;
  readonly SourceSecurityGroupId?: unknown;
  readonly DestinationSecurityGroupId?: unknown;
}

function describeRule(
  rule: Rule,
  template: CfnTemplate,
  direction: 'in' | 'out',
  describeGroup: (logicalId: string) => string = (id) => id,
): string {
  const ports =
    rule.FromPort === rule.ToPort ? `${rule.FromPort}` : `${rule.FromPort}-${rule.ToPort}`;
  const group = referencedId(rule.SourceSecurityGroupId ?? rule.DestinationSecurityGroupId);
  const peer =
    rule.CidrIp === undefined && group !== undefined
      ? describeGroup(group)
      : describeValue(rule.CidrIp, template);
  return `${direction}: ${rule.IpProtocol} ${ports} ${direction === 'in' ? 'from' : 'to'} ${peer}`;
}

/** A security group as a rule names it: by what uses it (the load balancer, the service). */
function describeSecurityGroup(
  b: ArchitectureBuilder,
  stack: SynthesizedStack,
  logicalId: string,
): string {
  const uses = (type: string, property: (p: Record<string, unknown>) => unknown) =>
    b
      .ofType(type)
      .some(
        (r) =>
          r.stack === stack &&
          asArray(property(props(r))).some((group) => referencedId(group) === logicalId),
      );
  if (uses('AWS::ElasticLoadBalancingV2::LoadBalancer', (p) => p['SecurityGroups']))
    return "the load balancer's group";
  const serviceGroups = (p: Record<string, unknown>) =>
    (p['NetworkConfiguration'] as { AwsvpcConfiguration?: { SecurityGroups?: unknown } })
      ?.AwsvpcConfiguration?.SecurityGroups;
  if (uses('AWS::ECS::Service', serviceGroups)) return "the service's group";
  return `group ${logicalId}`;
}

/** Places each security group inside the subnet its service runs in. */
function addSecurityGroups(
  b: ArchitectureBuilder,
  stackGroups: Map<SynthesizedStack, DiagramGroup>,
) {
  for (const sg of b.ofType('AWS::EC2::SecurityGroup')) {
    const p = props(sg);
    const service = b
      .ofType('AWS::ECS::Service')
      .find((s) =>
        JSON.stringify(props(s)['NetworkConfiguration'] ?? {}).includes(`"${sg.logicalId}"`),
      );
    const subnetId = service
      ? referencedId(
          asArray(
            (
              props(service)['NetworkConfiguration'] as {
                AwsvpcConfiguration?: { Subnets?: unknown };
              }
            )?.AwsvpcConfiguration?.Subnets,
          )[0],
        )
      : undefined;
    const parent =
      b.groupOf(idOf(sg.stack, subnetId ?? '')) ??
      b.groupOf(idOf(sg.stack, refOf(p['VpcId']) ?? '')) ??
      stackGroups.get(sg.stack);
    // Rules between two groups are resources of their own (SecurityGroupIngress, …Egress).
    const standalone = (type: string) =>
      b.ofType(type).filter((rule) => {
        const belongs =
          rule.stack === sg.stack && referencedId(props(rule)['GroupId']) === sg.logicalId;
        if (belongs) b.markPlaced(rule);
        return belongs;
      });
    const describeGroup = (id: string) => describeSecurityGroup(b, sg.stack, id);
    const rules = [
      ...asArray(p['SecurityGroupIngress']).map((r) =>
        describeRule(r as Rule, sg.stack.template, 'in'),
      ),
      ...standalone('AWS::EC2::SecurityGroupIngress').map((r) =>
        describeRule(props(r) as Rule, sg.stack.template, 'in', describeGroup),
      ),
      ...asArray(p['SecurityGroupEgress']).map((r) =>
        describeRule(r as Rule, sg.stack.template, 'out'),
      ),
      ...standalone('AWS::EC2::SecurityGroupEgress').map((r) =>
        describeRule(props(r) as Rule, sg.stack.template, 'out', describeGroup),
      ),
    ];
    b.group(idOf(sg.stack, sg.logicalId), 'securityGroup', 'Security group', parent, rules);
    b.markPlaced(sg);
  }
}

interface ContainerDefinition {
  readonly Name?: string;
  readonly Image?: unknown;
  readonly User?: string;
  readonly ReadonlyRootFilesystem?: boolean;
  readonly PortMappings?: { ContainerPort?: number; Protocol?: string }[];
  readonly HealthCheck?: { Command?: string[] };
  readonly LogConfiguration?: { LogDriver?: string; Options?: Record<string, unknown> };
}

function addLogGroups(b: ArchitectureBuilder, stackGroups: Map<SynthesizedStack, DiagramGroup>) {
  for (const logGroup of b.ofType('AWS::Logs::LogGroup')) {
    const p = props(logGroup);
    const retention = p['RetentionInDays']
      ? `kept ${String(p['RetentionInDays'])} days`
      : 'kept for ever';
    b.node(
      {
        id: idOf(logGroup.stack, logGroup.logicalId),
        kind: 'logs',
        title: 'CloudWatch log group',
        lines: [String(p['LogGroupName'] ?? logGroup.logicalId), retention],
      },
      stackGroups.get(logGroup.stack),
    );
    b.markPlaced(logGroup);
  }
}

/** Cluster, service and, inside the network, the task the service runs. */
function addEcs(b: ArchitectureBuilder, stackGroups: Map<SynthesizedStack, DiagramGroup>) {
  for (const cluster of b.ofType('AWS::ECS::Cluster')) {
    const p = props(cluster);
    const insights = asArray(p['ClusterSettings']).some(
      (s) => (s as { Name?: string; Value?: string }).Value === 'enabled',
    );
    b.group(
      idOf(cluster.stack, cluster.logicalId),
      'cluster',
      `ECS cluster ${String(p['ClusterName'] ?? cluster.logicalId)}${insights ? ' · Container Insights' : ''}`,
      stackGroups.get(cluster.stack),
    );
    b.markPlaced(cluster);
  }
  for (const service of b.ofType('AWS::ECS::Service')) {
    const p = props(service);
    const template = service.stack.template;
    const serviceId = idOf(service.stack, service.logicalId);
    const strategy = asArray(p['CapacityProviderStrategy']).map(
      (s) => (s as { CapacityProvider?: string }).CapacityProvider,
    );
    const capacity = strategy.length > 0 ? strategy.join('+') : String(p['LaunchType'] ?? 'EC2');
    const deployment = p['DeploymentConfiguration'] as
      | {
          DeploymentCircuitBreaker?: { Enable?: boolean; Rollback?: boolean };
          MinimumHealthyPercent?: number;
          MaximumPercent?: number;
        }
      | undefined;
    const breaker = deployment?.DeploymentCircuitBreaker;
    const network = (
      p['NetworkConfiguration'] as { AwsvpcConfiguration?: { AssignPublicIp?: string } }
    )?.AwsvpcConfiguration;
    const scaling = scalableTargetOf(b, service);
    const desired = scaling
      ? `${String(props(scaling)['MinCapacity'])}–${String(props(scaling)['MaxCapacity'])}`
      : describeValue(p['DesiredCount'] ?? 1, template);
    const lines = [
      String(p['ServiceName'] ?? service.logicalId),
      `${desired} task${desired === '1' ? '' : 's'} on ${capacity}${scaling ? ', autoscaled' : ''}`,
    ];
    if (breaker?.Enable) lines.push(`circuit breaker${breaker.Rollback ? ' with rollback' : ''}`);
    if (deployment?.MinimumHealthyPercent !== undefined) {
      lines.push(`rolling ${deployment.MinimumHealthyPercent}–${deployment.MaximumPercent}%`);
    }
    b.node(
      { id: serviceId, kind: 'compute', title: 'ECS service', lines },
      b.groupOf(idOf(service.stack, refOf(p['Cluster']) ?? '')) ?? stackGroups.get(service.stack),
    );
    b.markPlaced(service);

    const taskDefinition = b.find(service.stack, refOf(p['TaskDefinition']));
    if (!taskDefinition) continue;
    const tp = props(taskDefinition);
    const taskId = idOf(taskDefinition.stack, taskDefinition.logicalId);
    const platform = tp['RuntimePlatform'] as { CpuArchitecture?: string } | undefined;
    const taskLines = [
      `family ${String(tp['Family'] ?? taskDefinition.logicalId)} · ${String(tp['NetworkMode'] ?? 'bridge')}`,
      `${Number(tp['Cpu']) / 1024} vCPU · ${String(tp['Memory'])} MiB · ${platform?.CpuArchitecture ?? 'X86_64'}`,
    ];
    const sgId = referencedId(
      asArray((network as { SecurityGroups?: unknown } | undefined)?.SecurityGroups)[0],
    );
    for (const container of asArray(tp['ContainerDefinitions']) as ContainerDefinition[]) {
      const ports = (container.PortMappings ?? [])
        .map((m) => `${m.ContainerPort}/${m.Protocol ?? 'tcp'}`)
        .join(', ');
      taskLines.push(`container ${container.Name ?? ''} · port ${ports || 'none'}`);
      const hardening = [
        container.User ? `user ${container.User}` : 'user root',
        container.ReadonlyRootFilesystem ? 'read-only root' : '',
      ].filter(Boolean);
      taskLines.push(hardening.join(' · '));
      if (container.HealthCheck?.Command) {
        taskLines.push(`health: ${container.HealthCheck.Command.slice(1).join(' ')}`);
      }
      const repoName = repositoryNameIn(container.Image, template);
      const repo = b
        .ofType('AWS::ECR::Repository')
        .find((r) => props(r)['RepositoryName'] === repoName);
      if (repo) {
        const tag = describeImageTag(container.Image, template);
        b.edge(idOf(repo.stack, repo.logicalId), taskId, `image pull :${tag}`, 'image');
      }
      const logGroupRef = refOf(container.LogConfiguration?.Options?.['awslogs-group']);
      if (logGroupRef) {
        const prefix = container.LogConfiguration?.Options?.['awslogs-stream-prefix'];
        b.edge(
          taskId,
          idOf(taskDefinition.stack, logGroupRef),
          `awslogs, prefix ${String(prefix)}`,
          'traffic',
        );
      }
    }
    if (network?.AssignPublicIp === 'ENABLED') taskLines.push('public IPv4 address');
    b.node(
      { id: taskId, kind: 'compute', title: 'Fargate task', lines: taskLines },
      b.groupOf(idOf(service.stack, sgId ?? '')) ?? stackGroups.get(service.stack),
    );
    b.markPlaced(taskDefinition);
    b.edge(serviceId, taskId, `keeps ${desired} running`, 'control');

    // Behind a load balancer the way in is its target group (addLoadBalancers), not the task's IP.
    if (asArray(p['LoadBalancers']).length > 0) continue;
    addTraffic(b, service, taskId, sgId, network?.AssignPublicIp === 'ENABLED');
  }
}

/** Who can reach the task: the security group's ingress through the internet gateway. */
function addTraffic(
  b: ArchitectureBuilder,
  service: Located,
  taskId: string,
  sgId: string | undefined,
  publicIp: boolean,
) {
  const sg = b.find(service.stack, sgId);
  const igw = b.ofType('AWS::EC2::InternetGateway').find((g) => g.stack === service.stack);
  if (!sg || !igw || !publicIp) return;
  const template = service.stack.template;
  const ingress = asArray(props(sg)['SecurityGroupIngress']) as Rule[];
  if (!b.nodes.some((n) => n.id === USERS)) {
    b.node({
      id: USERS,
      kind: 'external',
      title: 'Users',
      lines: ingress.map((rule) => `from ${describeValue(rule.CidrIp, template)}`),
    });
  }
  const igwId = idOf(igw.stack, igw.logicalId);
  for (const rule of ingress) {
    b.edge(USERS, igwId, `HTTP ${rule.IpProtocol} ${rule.FromPort}`, 'traffic');
  }
  b.edge(igwId, taskId, `public IP :${ingress.map((r) => r.FromPort).join(',')}`, 'traffic');
}

interface Statement {
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}

/**
 * Whether a task definition's role ARN names this role: a Ref/GetAtt in the same stack, or an
 * ARN ending in `:role/<RoleName>` (the service stack imports the registry stack's roles by name).
 */
function namesRole(user: Located, property: string, role: Located): boolean {
  const value = props(user)[property];
  if (referencedId(value) !== undefined) {
    return user.stack === role.stack && referencedId(value) === role.logicalId;
  }
  const roleName = props(role)['RoleName'];
  return (
    typeof roleName === 'string' &&
    describeValue(value, user.stack.template).endsWith(`:role/${roleName}`)
  );
}

/** A role's policy statements: its inline policies and any AWS::IAM::Policy attached to it. */
function statementsOfRole(b: ArchitectureBuilder, role: Located): Statement[] {
  const inline = asArray(props(role)['Policies']) as {
    PolicyDocument?: { Statement?: Statement[] };
  }[];
  const attached = b
    .ofType('AWS::IAM::Policy')
    .filter((policy) => asArray(props(policy)['Roles']).some((r) => refOf(r) === role.logicalId));
  for (const policy of attached) b.markPlaced(policy);
  return [
    ...inline.flatMap((p) => p.PolicyDocument?.Statement ?? []),
    ...attached.flatMap(
      (policy) =>
        (props(policy)['PolicyDocument'] as { Statement?: Statement[] } | undefined)?.Statement ??
        [],
    ),
  ];
}

/** Roles with what their policies allow, and an edge to each resource they reach. */
function addRoles(b: ArchitectureBuilder, stackGroups: Map<SynthesizedStack, DiagramGroup>) {
  for (const role of b.ofType('AWS::IAM::Role')) {
    const template = role.stack.template;
    const roleId = idOf(role.stack, role.logicalId);
    const users = b.ofType('AWS::ECS::TaskDefinition');
    const asExecution = users.find((t) => namesRole(t, 'ExecutionRoleArn', role));
    const asTask = users.find((t) => namesRole(t, 'TaskRoleArn', role));
    const asFunction = b.ofType('AWS::Lambda::Function').find((f) => namesRole(f, 'Role', role));
    const title = asExecution
      ? 'IAM execution role'
      : asTask
        ? 'IAM task role'
        : asFunction
          ? 'IAM function role'
          : 'IAM role';
    const lines: string[] = [];
    for (const statement of statementsOfRole(b, role)) {
      const actions = asArray(statement.Action).map(String);
      const resources = asArray(statement.Resource);
      const target = referencedId(resources[0]);
      const targetResource = target ? b.find(role.stack, target) : undefined;
      const repoName =
        targetResource?.resource.Type === 'AWS::ECR::Repository'
          ? String(props(targetResource)['RepositoryName'])
          : repositoryNameIn(resources[0], template);
      const repo = b
        .ofType('AWS::ECR::Repository')
        .find((r) => repoName !== undefined && props(r)['RepositoryName'] === repoName);
      const texts = resources.map((r) => describeValue(r, template));
      const logGroup =
        targetResource?.resource.Type === 'AWS::Logs::LogGroup'
          ? targetResource
          : b
              .ofType('AWS::Logs::LogGroup')
              .find((g) =>
                texts.some((text) =>
                  text.includes(`:log-group:${String(props(g)['LogGroupName'])}`),
                ),
              );
      const on = repo
        ? `repository ${repoName}`
        : logGroup
          ? String(props(logGroup)['LogGroupName'] ?? logGroup.logicalId)
          : texts.join(', ');
      lines.push(`${describeActions(actions)} on ${on}`);
      if (repo) b.edge(roleId, idOf(repo.stack, repo.logicalId), 'may pull', 'permission');
      if (logGroup)
        b.edge(roleId, idOf(logGroup.stack, logGroup.logicalId), 'may write', 'permission');
    }
    if (lines.length === 0) lines.push('no permissions');
    if (asFunction) {
      b.edge(
        roleId,
        idOf(asFunction.stack, asFunction.logicalId),
        'the function runs as',
        'permission',
      );
    }
    if (asTask && !asExecution) {
      b.edge(roleId, idOf(asTask.stack, asTask.logicalId), 'the app runs as', 'permission');
    }
    if (asExecution) {
      b.edge(
        roleId,
        idOf(asExecution.stack, asExecution.logicalId),
        'ECS starts the task as',
        'permission',
      );
    }
    b.node({ id: roleId, kind: 'security', title, lines }, stackGroups.get(role.stack));
    b.markPlaced(role);
  }
}

/** `a-b-x` and `a-b-y` share `a-b-`: the part every name starts with, cut after a hyphen. */
function sharedPrefix(names: readonly string[]): string {
  if (names.length < 2) return '';
  let prefix = names[0];
  for (const name of names) {
    while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix.slice(0, prefix.lastIndexOf('-') + 1);
}

/** A topic's policy, as the services it lets publish and whether it refuses plain HTTP. */
function describeTopicPolicy(b: ArchitectureBuilder, topic: Located): string[] {
  const policies = b
    .ofType('AWS::SNS::TopicPolicy')
    .filter(
      (policy) =>
        policy.stack === topic.stack &&
        asArray(props(policy)['Topics']).some((t) => refOf(t) === topic.logicalId),
    );
  const statements = policies.flatMap((policy) => {
    b.markPlaced(policy);
    return asArray(
      (props(policy)['PolicyDocument'] as { Statement?: unknown } | undefined)?.Statement,
    ) as { Effect?: string; Principal?: { Service?: unknown }; Condition?: unknown }[];
  });
  if (statements.length === 0) return [];
  const publishers = statements
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => asArray(statement.Principal?.Service))
    .map((service) => String(service).replace(/\.amazonaws\.com$/, ''));
  const tlsOnly = statements.some(
    (statement) =>
      statement.Effect === 'Deny' &&
      JSON.stringify(statement.Condition ?? {}).includes('"aws:SecureTransport":"false"'),
  );
  const who = publishers.length > 0 ? `only ${publishers.join(', ')} may publish` : 'policy';
  return [`${who}${tlsOnly ? ', over TLS' : ''}`];
}

/** `→ email AlertEmail (optional)`: a parameter by its name, conditional ones marked optional. */
function describeSubscriptions(b: ArchitectureBuilder, topic: Located): string[] {
  return b
    .ofType('AWS::SNS::Subscription')
    .filter(
      (subscription) =>
        subscription.stack === topic.stack &&
        refOf(props(subscription)['TopicArn']) === topic.logicalId,
    )
    .map((subscription) => {
      b.markPlaced(subscription);
      const p = props(subscription);
      const endpoint = refOf(p['Endpoint']) ?? describeValue(p['Endpoint'], topic.stack.template);
      const optional = subscription.resource.Condition ? ' (optional)' : '';
      return `→ ${String(p['Protocol'])} ${endpoint}${optional}`;
    });
}

interface AlarmProperties {
  readonly AlarmName?: string;
  readonly MetricName?: string;
  readonly Namespace?: string;
  readonly Dimensions?: { Name?: string; Value?: unknown }[];
  readonly AlarmActions?: unknown[];
  readonly OKActions?: unknown[];
}

/**
 * The alarms, the topics they and the task-stops rule publish to, the metric filter and the
 * dashboard, as one group of a few boxes: one box per resource would be a row of near-identical
 * boxes wider than the rest of the picture. Topic policies and the topic a rule feeds fold into
 * their topic's and rule's box.
 */
function addMonitoring(b: ArchitectureBuilder, stackGroups: Map<SynthesizedStack, DiagramGroup>) {
  const types = [
    'AWS::CloudWatch::Alarm',
    'AWS::SNS::Topic',
    'AWS::Events::Rule',
    'AWS::Logs::MetricFilter',
    'AWS::CloudWatch::Dashboard',
  ];
  for (const [stack, stackGroup] of stackGroups) {
    const inStack = (type: string) => b.ofType(type).filter((r) => r.stack === stack);
    const monitored = (type: string) =>
      inStack(type).filter((r) => type !== 'AWS::Events::Rule' || !invokesFunction(b, r));
    if (types.every((type) => monitored(type).length === 0)) continue;
    const template = stack.template;
    const group = b.group(idOf(stack, 'Monitoring'), 'monitoring', 'Monitoring', stackGroup);
    const alarms = inStack('AWS::CloudWatch::Alarm');
    const topics = inStack('AWS::SNS::Topic');
    // A rule that runs a function is the function's (addFunctions), not monitoring.
    const rules = inStack('AWS::Events::Rule').filter((rule) => !invokesFunction(b, rule));
    const alarmProps = (alarm: Located) => props(alarm) as AlarmProperties;
    const prefix = sharedPrefix(
      [
        ...alarms.map((a) => alarmProps(a).AlarmName),
        ...[...topics, ...rules].map((r) => props(r)['TopicName'] ?? props(r)['Name']),
      ].filter((name): name is string => typeof name === 'string'),
    );
    const short = (name: unknown, fallback: string) =>
      typeof name === 'string' ? name.slice(name.startsWith(prefix) ? prefix.length : 0) : fallback;

    const alarmsId = idOf(stack, 'MonitoringAlarms');
    if (alarms.length > 0) {
      b.node(
        {
          id: alarmsId,
          kind: 'monitoring',
          title: `CloudWatch alarms (${alarms.length})`,
          lines: alarms.map((alarm) => short(alarmProps(alarm).AlarmName, alarm.logicalId)),
        },
        group,
      );
      for (const alarm of alarms) b.markPlaced(alarm);
    }
    const services = inStack('AWS::ECS::Service');
    const serviceMetrics = [
      ...new Set(
        alarms
          .map(alarmProps)
          .filter(
            (a) =>
              a.Namespace === 'AWS/ECS' &&
              services.some((s) =>
                (a.Dimensions ?? []).some(
                  (d) => d.Name === 'ServiceName' && d.Value === props(s)['ServiceName'],
                ),
              ),
          )
          .map((a) => String(a.MetricName)),
      ),
    ];
    const service = services[0];
    if (service && serviceMetrics.length > 0) {
      b.edge(idOf(stack, service.logicalId), alarmsId, serviceMetrics.join(', '), 'traffic');
    }

    const fedByRules = new Set(
      rules.flatMap((rule) =>
        asArray(props(rule)['Targets']).map((t) => refOf((t as { Arn?: unknown }).Arn)),
      ),
    );
    for (const topic of topics.filter((t) => !fedByRules.has(t.logicalId))) {
      const p = props(topic);
      const topicId = idOf(stack, topic.logicalId);
      b.node(
        {
          id: topicId,
          kind: 'messaging',
          title: 'SNS topic',
          lines: [
            String(p['TopicName'] ?? topic.logicalId),
            ...describeSubscriptions(b, topic),
            ...describeTopicPolicy(b, topic),
            ...(p['KmsMasterKeyId'] ? ['encrypted with a KMS key'] : []),
          ],
        },
        group,
      );
      b.markPlaced(topic);
      const notifying = alarms
        .map(alarmProps)
        .filter((a) => (a.AlarmActions ?? []).some((action) => refOf(action) === topic.logicalId));
      if (notifying.length > 0) {
        const onOk = notifying.some((a) =>
          (a.OKActions ?? []).some((action) => refOf(action) === topic.logicalId),
        );
        b.edge(alarmsId, topicId, `on ALARM${onOk ? ' and OK' : ''}`, 'traffic');
      }
    }

    for (const rule of rules) {
      const p = props(rule);
      const ruleId = idOf(stack, rule.logicalId);
      const targets = asArray(p['Targets']).map((target) => {
        const topic = b.find(stack, refOf((target as { Arn?: unknown }).Arn));
        if (topic?.resource.Type !== 'AWS::SNS::Topic') {
          return `→ ${describeValue((target as { Arn?: unknown }).Arn, template)}`;
        }
        b.markPlaced(topic);
        describeTopicPolicy(b, topic);
        const name = props(topic)['TopicName'];
        const shown =
          typeof name === 'string' && name.startsWith(prefix) && prefix
            ? `…-${short(name, '')}`
            : String(name ?? topic.logicalId);
        return `→ SNS topic ${shown}`;
      });
      b.node(
        {
          id: ruleId,
          kind: 'messaging',
          title: 'EventBridge rule',
          lines: [short(p['Name'], rule.logicalId), ...targets],
        },
        group,
      );
      b.markPlaced(rule);
      const pattern = p['EventPattern'] as
        { 'detail-type'?: string[]; detail?: { group?: string[] } } | undefined;
      const source = services.find((s) =>
        (pattern?.detail?.group ?? []).includes(`service:${String(props(s)['ServiceName'])}`),
      );
      if (source) {
        b.edge(
          idOf(stack, source.logicalId),
          ruleId,
          (pattern?.['detail-type'] ?? ['events']).join(', '),
          'traffic',
        );
      }
      const counting = alarms
        .map(alarmProps)
        .filter((a) =>
          (a.Dimensions ?? []).some(
            (d) => d.Name === 'RuleName' && refOf(d.Value) === rule.logicalId,
          ),
        );
      for (const metric of new Set(counting.map((a) => String(a.MetricName)))) {
        b.edge(ruleId, alarmsId, metric, 'traffic');
      }
    }

    for (const filter of inStack('AWS::Logs::MetricFilter')) {
      const p = props(filter);
      const filterId = idOf(stack, filter.logicalId);
      const metrics = asArray(p['MetricTransformations']) as {
        MetricName?: string;
        MetricNamespace?: string;
      }[];
      b.node(
        {
          id: filterId,
          kind: 'monitoring',
          title: 'Metric filter',
          lines: [
            ...metrics.map((m) => String(m.MetricName)),
            `pattern ${describeValue(p['FilterPattern'], template)}`,
          ],
        },
        group,
      );
      b.markPlaced(filter);
      const logGroup =
        b.find(stack, refOf(p['LogGroupName'])) ??
        inStack('AWS::Logs::LogGroup').find((g) => props(g)['LogGroupName'] === p['LogGroupName']);
      if (logGroup) b.edge(idOf(stack, logGroup.logicalId), filterId, 'log events', 'traffic');
      for (const metric of metrics) {
        const read = alarms
          .map(alarmProps)
          .some(
            (a) => a.MetricName === metric.MetricName && a.Namespace === metric.MetricNamespace,
          );
        if (read) b.edge(filterId, alarmsId, String(metric.MetricName), 'traffic');
      }
    }

    for (const dashboard of inStack('AWS::CloudWatch::Dashboard')) {
      const p = props(dashboard);
      const lines = [String(p['DashboardName'] ?? dashboard.logicalId)];
      try {
        // The body is JSON with ARNs and the region joined in: described, they stay inside strings.
        const body = JSON.parse(describeValue(p['DashboardBody'], template)) as {
          widgets?: unknown[];
        };
        if (body.widgets) lines.push(`${body.widgets.length} widgets`);
      } catch {
        // A body that is not JSON once described: the name alone says which dashboard.
      }
      b.node(
        {
          id: idOf(stack, dashboard.logicalId),
          kind: 'monitoring',
          title: 'CloudWatch dashboard',
          lines,
        },
        group,
      );
      b.markPlaced(dashboard);
      // Its alarm widget names the alarms by ARN: drawn below them rather than alone on top.
      const shown = JSON.stringify(p['DashboardBody'] ?? '');
      if (alarms.some((alarm) => shown.includes(`"Fn::GetAtt":["${alarm.logicalId}"`))) {
        b.edge(alarmsId, idOf(stack, dashboard.logicalId), 'shown on', 'traffic');
      }
    }
  }
}

/** The autoscaling target of a service's desired count, if it has one. */
function scalableTargetOf(b: ArchitectureBuilder, service: Located): Located | undefined {
  return b
    .ofType('AWS::ApplicationAutoScaling::ScalableTarget')
    .find(
      (target) =>
        target.stack === service.stack &&
        props(target)['ScalableDimension'] === 'ecs:service:DesiredCount' &&
        JSON.stringify(props(target)['ResourceId'] ?? '').includes(`"${service.logicalId}"`),
    );
}

/** Whether a rule's targets include a Lambda function of its stack. */
function invokesFunction(b: ArchitectureBuilder, rule: Located): boolean {
  return asArray(props(rule)['Targets']).some(
    (target) =>
      b.find(rule.stack, referencedId((target as { Arn?: unknown }).Arn))?.resource.Type ===
      'AWS::Lambda::Function',
  );
}

/** `Key`/`Value` attribute lists (load balancers, target groups) as a map. */
function attributesOf(value: unknown): Map<string, string> {
  return new Map(
    (asArray(value) as { Key?: string; Value?: unknown }[]).map((a) => [
      String(a.Key),
      String(a.Value),
    ]),
  );
}

/** Who reaches the service over the internet: one node for every way in. */
function addUsers(b: ArchitectureBuilder, lines: readonly string[]): void {
  if (!b.nodes.some((n) => n.id === USERS)) {
    b.node({ id: USERS, kind: 'external', title: 'Users', lines });
  }
}

/**
 * A Route 53 record, outside the region (Route 53 is global): the user looks it up, and it
 * points at the load balancer (alias) or at the tasks (a record a function keeps).
 */
function addRecord(b: ArchitectureBuilder, id: string, title: string, lines: string[]): void {
  b.node({ id, kind: 'network', title, lines });
  b.edge(USERS, id, 'DNS lookup', 'traffic');
}

/**
 * Load balancers in their security group, their listeners folded in, the target groups they
 * forward to and the tasks registered there, the certificate of the HTTPS listener, the alias
 * record at the domain, and the users' way in through the internet gateway.
 */
function addLoadBalancers(
  b: ArchitectureBuilder,
  stackGroups: Map<SynthesizedStack, DiagramGroup>,
) {
  for (const balancer of b.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    const p = props(balancer);
    const { stack } = balancer;
    const template = stack.template;
    const balancerId = idOf(stack, balancer.logicalId);
    const subnets = asArray(p['Subnets']).map((subnet) => b.find(stack, referencedId(subnet)));
    const cidrs = subnets.map((subnet) =>
      subnet ? describeValue(props(subnet)['CidrBlock'], template) : '?',
    );
    const idle = attributesOf(p['LoadBalancerAttributes']).get('idle_timeout.timeout_seconds');
    const lines = [
      `${String(p['Scheme'] ?? 'internet-facing')} · ${subnets.length} AZs: ${cidrs.join(', ')}`,
      ...(idle ? [`idle timeout ${idle} s`] : []),
    ];
    const listeners = b
      .ofType('AWS::ElasticLoadBalancingV2::Listener')
      .filter(
        (l) => l.stack === stack && refOf(props(l)['LoadBalancerArn']) === balancer.logicalId,
      );
    const forwards: { listener: Located; targetGroup: string }[] = [];
    for (const listener of listeners) {
      const lp = props(listener);
      const actions = asArray(lp['DefaultActions']) as {
        Type?: string;
        TargetGroupArn?: unknown;
        RedirectConfig?: { Port?: string; Protocol?: string; StatusCode?: string };
      }[];
      const does = actions.map((action) => {
        if (action.Type === 'redirect') {
          const r = action.RedirectConfig ?? {};
          return `${(r.StatusCode ?? '').replace('HTTP_', '')} to ${r.Protocol ?? ''} ${r.Port ?? ''}`.trim();
        }
        const targetGroup = refOf(action.TargetGroupArn);
        if (targetGroup) forwards.push({ listener, targetGroup });
        return action.Type === 'forward' ? 'target group' : String(action.Type);
      });
      const policy = lp['SslPolicy'] ? ` (${String(lp['SslPolicy'])})` : '';
      lines.push(`${String(lp['Protocol'])} ${String(lp['Port'])}${policy} → ${does.join(', ')}`);
      b.markPlaced(listener);
      for (const certificate of asArray(lp['Certificates'])) {
        const cert = b.find(
          stack,
          referencedId((certificate as { CertificateArn?: unknown }).CertificateArn),
        );
        if (!cert) continue;
        const cp = props(cert);
        const zones = (asArray(cp['DomainValidationOptions']) as { HostedZoneId?: unknown }[]).map(
          (option) => describeValue(option.HostedZoneId, template),
        );
        const certId = idOf(stack, cert.logicalId);
        if (!b.nodes.some((n) => n.id === certId)) {
          b.node(
            {
              id: certId,
              kind: 'security',
              title: 'ACM certificate',
              lines: [
                String(cp['DomainName']),
                `${String(cp['ValidationMethod'] ?? 'EMAIL')}-validated${zones.length > 0 ? ` in zone ${zones.join(', ')}` : ''}`,
              ],
            },
            stackGroups.get(stack),
          );
          b.markPlaced(cert);
        }
        b.edge(certId, balancerId, `TLS on ${String(lp['Port'])}`, 'control');
      }
    }
    const sgId = referencedId(asArray(p['SecurityGroups'])[0]);
    b.node(
      { id: balancerId, kind: 'network', title: 'Application Load Balancer', lines },
      b.groupOf(idOf(stack, sgId ?? '')) ?? stackGroups.get(stack),
    );
    b.markPlaced(balancer);
    // It has a node in each of its subnets (an address each, public when internet-facing).
    for (const subnet of subnets) {
      if (!subnet) continue;
      const nodeId = `${balancerId}__${subnet.logicalId}`;
      const zone = availabilityZoneOf(props(subnet)['AvailabilityZone']);
      b.node(
        {
          id: nodeId,
          kind: 'network',
          title: 'Load balancer node',
          lines: [
            [zone, p['Scheme'] === 'internal' ? 'private IP' : 'public IPv4 address']
              .filter(Boolean)
              .join(' · '),
          ],
        },
        b.groupOf(idOf(stack, subnet.logicalId)),
      );
      b.edge(balancerId, nodeId, 'runs in', 'control');
    }

    // The users' way in: the load balancer's security group rules, through the internet gateway.
    const sg = b.find(stack, sgId);
    const igw = b.ofType('AWS::EC2::InternetGateway').find((g) => g.stack === stack);
    const ingress = sg ? (asArray(props(sg)['SecurityGroupIngress']) as Rule[]) : [];
    addUsers(b, [
      ...new Set(ingress.map((rule) => `from ${describeValue(rule.CidrIp, template)}`)),
    ]);
    if (igw) {
      const igwId = idOf(igw.stack, igw.logicalId);
      for (const listener of listeners) {
        const lp = props(listener);
        b.edge(USERS, igwId, `${String(lp['Protocol'])} tcp ${String(lp['Port'])}`, 'traffic');
      }
      b.edge(igwId, balancerId, `public IPs, ${subnets.length} AZs`, 'traffic');
    }

    for (const { listener, targetGroup } of forwards) {
      const group = b.find(stack, targetGroup);
      if (!group) continue;
      const gp = props(group);
      const groupId = idOf(stack, group.logicalId);
      if (!b.nodes.some((n) => n.id === groupId)) {
        const delay = attributesOf(gp['TargetGroupAttributes']).get(
          'deregistration_delay.timeout_seconds',
        );
        const interval = gp['HealthCheckIntervalSeconds'];
        b.node(
          {
            id: groupId,
            kind: 'network',
            title: 'Target group',
            lines: [
              `${String(gp['Protocol'])} :${String(gp['Port'])} · ${String(gp['TargetType'] ?? 'instance')} targets`,
              `health ${String(gp['HealthCheckPath'] ?? '/')}${interval ? ` every ${String(interval)} s` : ''}`,
              ...(delay ? [`deregistration delay ${delay} s`] : []),
            ],
          },
          b.groupOf(idOf(stack, refOf(gp['VpcId']) ?? '')) ?? stackGroups.get(stack),
        );
        b.markPlaced(group);
        // The tasks of every service registered in it.
        for (const service of b.ofType('AWS::ECS::Service')) {
          const sp = props(service);
          const entry = (
            asArray(sp['LoadBalancers']) as {
              TargetGroupArn?: unknown;
              ContainerPort?: number;
            }[]
          ).find((l) => refOf(l.TargetGroupArn) === group.logicalId);
          if (service.stack !== stack || !entry) continue;
          const task = refOf(sp['TaskDefinition']);
          if (task)
            b.edge(groupId, idOf(stack, task), `HTTP :${String(entry.ContainerPort)}`, 'traffic');
          b.edge(idOf(stack, service.logicalId), groupId, 'registers its tasks', 'control');
        }
      }
      b.edge(
        balancerId,
        groupId,
        `${String(props(listener)['Protocol'])} ${String(props(listener)['Port'])}`,
        'traffic',
      );
    }

    for (const record of b.ofType('AWS::Route53::RecordSet')) {
      const rp = props(record);
      const alias = JSON.stringify(rp['AliasTarget'] ?? null);
      if (
        record.stack !== stack ||
        !alias.includes(`"Fn::GetAtt":["${balancer.logicalId}","DNSName"]`)
      )
        continue;
      const recordId = idOf(stack, record.logicalId);
      addRecord(b, recordId, 'Route 53 alias record', [
        `${describeValue(rp['Name'], template).replace(/\.$/, '')} ${String(rp['Type'])} → load balancer`,
        `zone ${describeValue(rp['HostedZoneId'] ?? rp['HostedZoneName'], template)}`,
      ]);
      b.edge(recordId, balancerId, 'alias', 'control');
      b.markPlaced(record);
    }
  }
}

const PREDEFINED_METRICS: Record<string, (target: string) => string> = {
  ECSServiceAverageCPUUtilization: (target) => `CPU ${target}%`,
  ECSServiceAverageMemoryUtilization: (target) => `memory ${target}%`,
  ALBRequestCountPerTarget: (target) => `${target} requests per task a minute`,
};

/** The autoscaling of a service's task count: its range and its policies, beside the service. */
function addScaling(b: ArchitectureBuilder) {
  for (const service of b.ofType('AWS::ECS::Service')) {
    const target = scalableTargetOf(b, service);
    if (!target) continue;
    const tp = props(target);
    const policies = b
      .ofType('AWS::ApplicationAutoScaling::ScalingPolicy')
      .filter(
        (policy) =>
          policy.stack === target.stack &&
          refOf(props(policy)['ScalingTargetId']) === target.logicalId,
      );
    const lines = [`${String(tp['MinCapacity'])} to ${String(tp['MaxCapacity'])} tasks`];
    for (const policy of policies) {
      const configuration = props(policy)['TargetTrackingScalingPolicyConfiguration'] as
        | {
            TargetValue?: number;
            PredefinedMetricSpecification?: { PredefinedMetricType?: string };
          }
        | undefined;
      const metric = configuration?.PredefinedMetricSpecification?.PredefinedMetricType ?? '';
      const describe = PREDEFINED_METRICS[metric] ?? ((t: string) => `${metric} ${t}`);
      lines.push(`target ${describe(String(configuration?.TargetValue))}`);
      b.markPlaced(policy);
    }
    const id = idOf(target.stack, target.logicalId);
    b.node(
      { id, kind: 'compute', title: 'Application Auto Scaling', lines },
      b.groupOf(idOf(service.stack, refOf(props(service)['Cluster']) ?? '')),
    );
    b.markPlaced(target);
    b.edge(id, idOf(service.stack, service.logicalId), 'sets the desired count', 'control');
  }
}

/**
 * Functions and what runs them: the rule on the service's task state changes (with its
 * dead-letter queue and permission), and, for a function that keeps a Route 53 record
 * (HOSTED_ZONE_ID and DOMAIN_NAME), that record, which users look up.
 */
function addFunctions(b: ArchitectureBuilder, stackGroups: Map<SynthesizedStack, DiagramGroup>) {
  for (const fn of b.ofType('AWS::Lambda::Function')) {
    const p = props(fn);
    const { stack } = fn;
    const template = stack.template;
    const fnId = idOf(stack, fn.logicalId);
    const architecture = asArray(p['Architectures']).map(String).join(', ') || 'x86_64';
    const lines = [
      describeValue(p['FunctionName'] ?? fn.logicalId, template),
      `${String(p['Runtime'] ?? '')} · ${architecture} · ${String(p['MemorySize'] ?? 128)} MB · ${String(p['Timeout'] ?? 3)} s`,
    ];
    const environment =
      (p['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const zone = environment['HOSTED_ZONE_ID'];
    const domain = environment['DOMAIN_NAME'];
    if (domain !== undefined)
      lines.push(`keeps ${describeValue(domain, template)} = running tasks' IPs`);
    b.node({ id: fnId, kind: 'compute', title: 'Lambda function', lines }, stackGroups.get(stack));
    b.markPlaced(fn);
    for (const permission of b.ofType('AWS::Lambda::Permission')) {
      if (
        permission.stack === stack &&
        referencedId(props(permission)['FunctionName']) === fn.logicalId
      )
        b.markPlaced(permission);
    }
    const logGroup = referencedId(
      (p['LoggingConfig'] as { LogGroup?: unknown } | undefined)?.LogGroup,
    );
    if (logGroup) b.edge(fnId, idOf(stack, logGroup), 'logs', 'traffic');

    if (zone !== undefined && domain !== undefined) {
      const name = describeValue(domain, template);
      const recordId = `${fnId}__Record`;
      addUsers(b, []);
      addRecord(b, recordId, 'Route 53 record', [
        `${name} A · TTL ${DNS_RECORD_TTL_SECONDS} s → the tasks' public IPs`,
        `owner TXT ${dnsOwnerRecordName(name)}`,
        `zone ${describeValue(zone, template)}`,
      ]);
      b.edge(fnId, recordId, 'UPSERT A, TXT', 'control');
    }

    for (const rule of b.ofType('AWS::Events::Rule')) {
      const targets = asArray(props(rule)['Targets']) as {
        Arn?: unknown;
        DeadLetterConfig?: { Arn?: unknown };
      }[];
      const target = targets.find((t) => referencedId(t.Arn) === fn.logicalId);
      if (rule.stack !== stack || !target) continue;
      const rp = props(rule);
      const ruleId = idOf(stack, rule.logicalId);
      const pattern = rp['EventPattern'] as
        | { 'detail-type'?: string[]; detail?: { group?: string[]; lastStatus?: string[] } }
        | undefined;
      b.node(
        {
          id: ruleId,
          kind: 'messaging',
          title: 'EventBridge rule',
          lines: [
            describeValue(rp['Name'] ?? rule.logicalId, template),
            `${(pattern?.['detail-type'] ?? []).join(', ')}${pattern?.detail?.lastStatus ? `: ${pattern.detail.lastStatus.join(', ')}` : ''}`,
          ],
        },
        stackGroups.get(stack),
      );
      b.markPlaced(rule);
      const source = b
        .ofType('AWS::ECS::Service')
        .find(
          (s) =>
            s.stack === stack &&
            (pattern?.detail?.group ?? []).includes(`service:${String(props(s)['ServiceName'])}`),
        );
      if (source) b.edge(idOf(stack, source.logicalId), ruleId, 'task state changes', 'traffic');
      b.edge(ruleId, fnId, 'invokes', 'traffic');
      const queue = b.find(stack, referencedId(target.DeadLetterConfig?.Arn));
      if (queue) {
        const queueId = idOf(stack, queue.logicalId);
        b.node(
          {
            id: queueId,
            kind: 'messaging',
            title: 'SQS dead-letter queue',
            lines: [describeValue(props(queue)['QueueName'] ?? queue.logicalId, template)],
          },
          stackGroups.get(stack),
        );
        b.markPlaced(queue);
        for (const policy of b.ofType('AWS::SQS::QueuePolicy')) {
          if (asArray(props(policy)['Queues']).some((q) => refOf(q) === queue.logicalId))
            b.markPlaced(policy);
        }
        b.edge(ruleId, queueId, 'undelivered events', 'control');
      }
    }
  }
}

/** Anything not drawn above still appears, named by type, so the picture never hides a resource. */
function addOthers(b: ArchitectureBuilder, stackGroups: Map<SynthesizedStack, DiagramGroup>) {
  for (const other of b.unplaced()) {
    b.node(
      {
        id: idOf(other.stack, other.logicalId),
        kind: 'network',
        title: other.resource.Type,
        lines: [other.logicalId],
      },
      stackGroups.get(other.stack),
    );
  }
}

/** Reads the synthesized stacks into the boxes, groups and arrows of the architecture diagram. */
export function buildArchitecture(assembly: CloudAssembly): Architecture {
  const b = new ArchitectureBuilder(assembly);
  const stackGroups = new Map(
    assembly.stacks.map((stack) => [
      stack,
      b.group(`Stack_${idOf(stack, '')}`, 'stack', `stack ${stack.name}`, b.root),
    ]),
  );
  addRepositories(b, stackGroups);
  addNetwork(b, stackGroups);
  addSecurityGroups(b, stackGroups);
  addLogGroups(b, stackGroups);
  addEcs(b, stackGroups);
  addLoadBalancers(b, stackGroups);
  addScaling(b);
  addFunctions(b, stackGroups);
  addRoles(b, stackGroups);
  addMonitoring(b, stackGroups);
  addOthers(b, stackGroups);
  return {
    title: `${assembly.stacks.map((s) => s.name).join(' + ')} (generated from the synthesized templates)`,
    nodes: b.nodes,
    groups: [b.root],
    edges: b.edges,
  };
}
