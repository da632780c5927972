import { buildArchitecture, type Architecture, type DiagramGroup } from './architecture-model';
import type { CfnTemplate } from './cloud-assembly';
import {
  changePort,
  copySynthesizedAssembly,
  readSynthesizedAssembly,
  resourceOfType,
} from './test-assembly';

function allGroups(groups: readonly DiagramGroup[]): DiagramGroup[] {
  return groups.flatMap((group) => [group, ...allGroups(group.groups)]);
}

function groupOfKind(architecture: Architecture, kind: DiagramGroup['kind']): DiagramGroup {
  const group = allGroups(architecture.groups).find((g) => g.kind === kind);
  if (!group) throw new Error(`no ${kind} group`);
  return group;
}

function nodeTitled(architecture: Architecture, title: string) {
  const node = architecture.nodes.find((n) => n.title === title);
  if (!node) throw new Error(`no node ${title}`);
  return node;
}

describe('buildArchitecture', () => {
  const architecture = buildArchitecture(readSynthesizedAssembly());

  it('GIVEN the synthesized templates WHEN drawn THEN the network nests region > stack > VPC > subnet > security group > task', () => {
    const vpc = groupOfKind(architecture, 'vpc');
    const subnet = groupOfKind(architecture, 'subnet');
    const sg = groupOfKind(architecture, 'securityGroup');

    expect(architecture.groups[0].title).toBe('AWS region eu-west-1');
    expect(vpc.title).toBe('VPC 10.0.0.0/16 · DNS names');
    expect(vpc.groups).toContain(subnet);
    expect(subnet.title).toBe('Subnet 10.0.1.0/24');
    expect(subnet.lines).toEqual(['first AZ · public IP on launch']);
    expect(subnet.groups).toContain(sg);
    expect(sg.nodeIds).toEqual([nodeTitled(architecture, 'Fargate task').id]);
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the security group shows its port and source', () => {
    expect(groupOfKind(architecture, 'securityGroup').lines).toEqual([
      'in: tcp 49000 from AllowedIP (default 0.0.0.0/0)',
      'out: tcp 443 to 0.0.0.0/0',
    ]);
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the task shows size, architecture and its container', () => {
    expect(nodeTitled(architecture, 'Fargate task').lines).toEqual(
      expect.arrayContaining([
        '0.25 vCPU · 512 MiB · X86_64',
        'container hello-world · port 49000/tcp',
        'user 1000:1000 · read-only root',
        'public IPv4 address',
      ]),
    );
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the repository says which images its lifecycle keeps', () => {
    expect(nodeTitled(architecture, 'ECR repository').lines).toEqual(
      expect.arrayContaining(['keeps every v*.*.*… deployed-*', 'keeps the newest 10 sha-*']),
    );
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the image flows from publisher to registry to task', () => {
    const repository = nodeTitled(architecture, 'ECR repository');
    const task = nodeTitled(architecture, 'Fargate task');
    const imageEdges = architecture.edges.filter((edge) => edge.kind === 'image');

    expect(imageEdges).toEqual([
      { from: 'ImagePublisher', to: repository.id, label: 'docker push', kind: 'image' },
      { from: repository.id, to: task.id, label: 'image pull :ImageTag', kind: 'image' },
    ]);
  });

  it("GIVEN the synthesized templates WHEN drawn THEN the publisher is hello-world's docker-push", () => {
    expect(nodeTitled(architecture, 'Image build and push').lines[0]).toBe(
      'nx run hello-world:docker-push',
    );
  });

  it("GIVEN greeter's templates (its container is greeter) WHEN drawn THEN the publisher is greeter:docker-push", () => {
    const assembly = copySynthesizedAssembly();
    const task = resourceOfType(assembly, 'AWS::ECS::TaskDefinition');
    for (const container of task.Properties['ContainerDefinitions'] as { Name: string }[]) {
      container.Name = 'greeter';
    }
    expect(nodeTitled(buildArchitecture(assembly), 'Image build and push').lines[0]).toBe(
      'nx run greeter:docker-push',
    );
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the cluster holds the service, which runs the task', () => {
    const cluster = groupOfKind(architecture, 'cluster');
    const service = nodeTitled(architecture, 'ECS service');

    expect(cluster.title).toBe('ECS cluster hello-world-ecr-ecs-fargate');
    expect(cluster.nodeIds).toEqual([service.id]);
    expect(architecture.edges).toContainEqual(
      expect.objectContaining({
        from: service.id,
        to: nodeTitled(architecture, 'Fargate task').id,
      }),
    );
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the execution role may pull this repository and write this log group only', () => {
    const role = nodeTitled(architecture, 'IAM execution role');

    expect(role.lines).toEqual([
      'ecr:GetAuthorizationToken on *',
      'ecr: 3 actions on repository hello-world-ecr-ecs-fargate',
      'logs:CreateLogStream, PutLogEvents on /ecs/hello-world-ecr-ecs-fargate',
    ]);
    expect(architecture.edges.filter((e) => e.from === role.id).map((e) => e.to)).toEqual([
      nodeTitled(architecture, 'ECR repository').id,
      nodeTitled(architecture, 'CloudWatch log group').id,
      nodeTitled(architecture, 'Fargate task').id,
    ]);
  });

  it('GIVEN the synthesized templates WHEN drawn THEN traffic reaches the task through the internet gateway and the route table', () => {
    const igw = nodeTitled(architecture, 'Internet gateway');

    expect(nodeTitled(architecture, 'Route table').lines).toEqual(['0.0.0.0/0 → internet gateway']);
    expect(architecture.edges).toContainEqual(
      expect.objectContaining({ from: 'Users', to: igw.id, label: 'HTTP tcp 49000' }),
    );
    expect(architecture.edges).toContainEqual(
      expect.objectContaining({ from: igw.id, to: nodeTitled(architecture, 'Fargate task').id }),
    );
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the log group shows its name and retention', () => {
    expect(nodeTitled(architecture, 'CloudWatch log group').lines).toEqual([
      '/ecs/hello-world-ecr-ecs-fargate',
      'kept 7 days',
    ]);
  });

  it('GIVEN the port changes in the templates WHEN drawn THEN the security group, task and traffic show the new port', () => {
    const assembly = copySynthesizedAssembly();
    changePort(assembly, 49001);

    const changed = buildArchitecture(assembly);

    expect(groupOfKind(changed, 'securityGroup').lines[0]).toBe(
      'in: tcp 49001 from AllowedIP (default 0.0.0.0/0)',
    );
    expect(nodeTitled(changed, 'Fargate task').lines).toContain(
      'container hello-world · port 49001/tcp',
    );
    expect(changed.edges.map((e) => e.label)).toContain('HTTP tcp 49001');
  });

  it('GIVEN a resource the diagram has no drawing for WHEN drawn THEN it still appears, named by its type', () => {
    const assembly = copySynthesizedAssembly();
    const resources = assembly.stacks[1].template.Resources as Record<string, unknown>;
    resources['NatGateway'] = { Type: 'AWS::EC2::NatGateway', Properties: {} };

    const changed = buildArchitecture(assembly);

    expect(changed.nodes).toContainEqual(
      expect.objectContaining({ title: 'AWS::EC2::NatGateway', lines: ['NatGateway'] }),
    );
  });

  it('GIVEN Fargate Spot in the templates WHEN drawn THEN the service says so', () => {
    const assembly = copySynthesizedAssembly();
    const service = resourceOfType(assembly, 'AWS::ECS::Service');
    delete service.Properties['LaunchType'];
    service.Properties['CapacityProviderStrategy'] = [
      { CapacityProvider: 'FARGATE_SPOT', Weight: 1 },
    ];

    expect(nodeTitled(buildArchitecture(assembly), 'ECS service').lines).toContain(
      '1 task on FARGATE_SPOT',
    );
  });
});

describe('buildArchitecture: monitoring', () => {
  const architecture = buildArchitecture(readSynthesizedAssembly());
  const monitoring = () => groupOfKind(architecture, 'monitoring');
  const edgeBetween = (from: string, to: string) =>
    architecture.edges.find((edge) => edge.from === from && edge.to === to);

  it('GIVEN the synthesized templates WHEN drawn THEN the monitoring is one group of five boxes inside the service stack', () => {
    const serviceStack = allGroups(architecture.groups).find(
      (g) => g.title === 'stack hello-world-ecr-ecs-fargate',
    );

    expect(serviceStack?.groups).toContain(monitoring());
    expect(monitoring().title).toBe('Monitoring');
    expect(
      monitoring().nodeIds.map((id) => architecture.nodes.find((n) => n.id === id)?.title),
    ).toEqual([
      'CloudWatch alarms (5)',
      'SNS topic',
      'EventBridge rule',
      'Metric filter',
      'CloudWatch dashboard',
    ]);
  });

  it('GIVEN the synthesized templates WHEN drawn THEN no alarm, topic, policy, subscription, rule, filter or dashboard is left as a box of its own', () => {
    expect(architecture.nodes.map((n) => n.title).filter((t) => t.startsWith('AWS::'))).toEqual([]);
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the alarms box lists the five alarms by their short names', () => {
    expect(nodeTitled(architecture, 'CloudWatch alarms (5)').lines).toEqual([
      'tasks-below-desired',
      'task-stops',
      'error-logs',
      'cpu-high',
      'memory-high',
    ]);
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the alarm topic says who it emails, optionally, and who may publish', () => {
    expect(nodeTitled(architecture, 'SNS topic').lines).toEqual([
      'hello-world-ecr-ecs-fargate-alarms',
      '→ email AlertEmail (optional)',
      'only cloudwatch may publish, over TLS',
    ]);
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the task-stops rule names the topic it feeds, and the service feeds the rule', () => {
    const rule = nodeTitled(architecture, 'EventBridge rule');

    expect(rule.lines).toEqual(['task-stops', '→ SNS topic …-task-stops']);
    expect(edgeBetween(nodeTitled(architecture, 'ECS service').id, rule.id)?.label).toBe(
      'ECS Task State Change',
    );
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the log group feeds the metric filter, whose metric an alarm reads', () => {
    const filter = nodeTitled(architecture, 'Metric filter');
    const alarms = nodeTitled(architecture, 'CloudWatch alarms (5)');

    expect(filter.lines).toEqual(['ErrorLogLines', 'pattern { $.level >= 50 }']);
    expect(edgeBetween(nodeTitled(architecture, 'CloudWatch log group').id, filter.id)).toEqual(
      expect.objectContaining({ label: 'log events', kind: 'traffic' }),
    );
    expect(edgeBetween(filter.id, alarms.id)?.label).toBe('ErrorLogLines');
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the alarms notify the alarm topic on ALARM and OK and show on the dashboard', () => {
    const alarms = nodeTitled(architecture, 'CloudWatch alarms (5)');
    const dashboard = nodeTitled(architecture, 'CloudWatch dashboard');

    expect(edgeBetween(alarms.id, nodeTitled(architecture, 'SNS topic').id)?.label).toBe(
      'on ALARM and OK',
    );
    expect(edgeBetween(alarms.id, dashboard.id)?.label).toBe('shown on');
    expect(dashboard.lines).toEqual(['hello-world-ecr-ecs-fargate', '6 widgets']);
  });

  it('GIVEN the synthesized templates WHEN drawn THEN the service feeds the alarms the ECS metrics they read', () => {
    expect(
      edgeBetween(
        nodeTitled(architecture, 'ECS service').id,
        nodeTitled(architecture, 'CloudWatch alarms (5)').id,
      )?.label,
    ).toBe('CPUUtilization, MemoryUtilization');
  });

  it('GIVEN templates without the tasks-below-desired alarm (desired count 0) WHEN drawn THEN the box counts and lists four', () => {
    const assembly = copySynthesizedAssembly();
    const resources = assembly.stacks[1].template.Resources as Record<
      string,
      { Type: string; Properties?: { AlarmName?: string } }
    >;
    const [below] = Object.entries(resources).find(([, r]) =>
      r.Properties?.AlarmName?.endsWith('-tasks-below-desired'),
    ) ?? [''];
    delete resources[below];

    const alarms = nodeTitled(buildArchitecture(assembly), 'CloudWatch alarms (4)');

    expect(alarms.lines).toEqual(['task-stops', 'error-logs', 'cpu-high', 'memory-high']);
  });

  it('GIVEN an unconditional subscription to a literal address WHEN drawn THEN the topic shows the address, not optional', () => {
    const assembly = copySynthesizedAssembly();
    const subscription = resourceOfType(assembly, 'AWS::SNS::Subscription') as {
      Properties: Record<string, unknown>;
      Condition?: string;
    };
    subscription.Properties['Endpoint'] = 'ops@example.com';
    delete subscription.Condition;

    expect(nodeTitled(buildArchitecture(assembly), 'SNS topic').lines).toContain(
      '→ email ops@example.com',
    );
  });

  it("GIVEN staging's names in the templates WHEN drawn THEN the topic shows them and the alarms and rule stay short", () => {
    const assembly = copySynthesizedAssembly();
    const renamed = JSON.parse(
      JSON.stringify(assembly.stacks[1].template).replace(
        /hello-world-ecr-ecs-fargate-(alarms|task-stops|tasks-below|error-logs|cpu-high|memory-high)/g,
        'hello-world-ecr-ecs-fargate-staging-$1',
      ),
    ) as CfnTemplate;
    const changed = buildArchitecture({
      stacks: [assembly.stacks[0], { ...assembly.stacks[1], template: renamed }],
    });

    expect(nodeTitled(changed, 'SNS topic').lines[0]).toBe(
      'hello-world-ecr-ecs-fargate-staging-alarms',
    );
    expect(nodeTitled(changed, 'EventBridge rule').lines).toEqual([
      'task-stops',
      '→ SNS topic …-task-stops',
    ]);
    expect(nodeTitled(changed, 'CloudWatch alarms (5)').lines[0]).toBe('tasks-below-desired');
  });
});
