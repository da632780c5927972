import type { Architecture } from './architecture-model';
import { buildArchitecture } from './architecture-model';
import { escapeHtml, renderDot } from './dot';
import { changePort, copySynthesizedAssembly, readSynthesizedAssembly } from './test-assembly';

const small: Architecture = {
  title: 'a < b & "c"',
  nodes: [
    { id: 'Outside', kind: 'external', title: 'Users', lines: ['from 0.0.0.0/0'] },
    { id: 'Task', kind: 'compute', title: 'Fargate task', lines: ['port 49000'] },
  ],
  groups: [
    {
      id: 'Net',
      kind: 'subnet',
      title: 'Subnet',
      lines: ['first AZ'],
      nodeIds: ['Task'],
      groups: [],
    },
  ],
  edges: [
    { from: 'Outside', to: 'Task', label: 'HTTP', kind: 'traffic' },
    { from: 'Outside', to: 'Net', label: 'into', kind: 'traffic' },
    { from: 'Outside', to: 'Task', label: 'runs', kind: 'control' },
  ],
};

describe('renderDot', () => {
  it('GIVEN text with markup characters WHEN escaped THEN graphviz sees them as text', () => {
    expect(escapeHtml('a < b & "c" > d')).toBe('a &lt; b &amp; &quot;c&quot; &gt; d');
  });

  it('GIVEN a group WHEN rendered THEN it is a graphviz cluster holding its nodes', () => {
    const dot = renderDot(small);

    expect(dot).toMatch(
      /subgraph "cluster_Net" \{\n\s+label=<<B>Subnet<\/B><BR ALIGN="LEFT"\/>first AZ<BR ALIGN="LEFT"\/>>;\n.*\n\s+"Task" \[label=<<B>Fargate task<\/B>/,
    );
  });

  it('GIVEN an edge that ends at a group WHEN rendered THEN it points at a node inside and is clipped at the group', () => {
    expect(renderDot(small)).toContain('"Outside" -> "Task" [label=<into>');
    expect(renderDot(small)).toContain('lhead="cluster_Net"');
  });

  it('GIVEN a control edge WHEN rendered THEN it is declared reversed and drawn forward, so its source ranks below', () => {
    expect(renderDot(small)).toContain(
      '"Task" -> "Outside" [label=<runs>, color="#7D8998", fontcolor="#7D8998", penwidth=1, style=dashed, dir=back];',
    );
  });

  it('GIVEN a title with markup characters WHEN rendered THEN it is escaped', () => {
    expect(renderDot(small)).toContain('label=<<B>a &lt; b &amp; &quot;c&quot;</B>>');
  });

  it('GIVEN the same templates twice WHEN rendered THEN the source is byte-identical', () => {
    const first = renderDot(buildArchitecture(readSynthesizedAssembly()));
    const second = renderDot(buildArchitecture(readSynthesizedAssembly()));

    expect(second).toBe(first);
  });

  it('GIVEN another port in the templates WHEN rendered THEN the source differs', () => {
    const assembly = copySynthesizedAssembly();
    changePort(assembly, 8080);

    const changed = renderDot(buildArchitecture(assembly));

    expect(changed).not.toBe(renderDot(buildArchitecture(readSynthesizedAssembly())));
    expect(changed).toContain('in: tcp 8080 from AllowedIP');
  });

  it('GIVEN a monitoring group with an SNS topic WHEN rendered THEN the cluster has the CloudWatch border and the topic the messaging colours', () => {
    const dot = renderDot({
      title: 'monitoring',
      nodes: [{ id: 'Topic', kind: 'messaging', title: 'SNS topic', lines: ['x-alarms'] }],
      groups: [
        {
          id: 'Monitoring',
          kind: 'monitoring',
          title: 'Monitoring',
          lines: [],
          nodeIds: ['Topic'],
          groups: [],
        },
      ],
      edges: [],
    });

    expect(dot).toContain('color="#E7157B"; style="rounded"; penwidth=1.4;');
    expect(dot).toContain('fillcolor="#FCE4F1", color="#B0084D"];');
  });

  it('GIVEN the synthesized templates WHEN rendered THEN the monitoring cluster sits inside the service stack and holds the alarms', () => {
    const dot = renderDot(buildArchitecture(readSynthesizedAssembly()));
    const serviceStack = dot.indexOf('subgraph "cluster_Stack_hello_world_ecr_ecs_fargate__"');
    const monitoring = dot.indexOf('subgraph "cluster_hello_world_ecr_ecs_fargate__Monitoring"');

    expect(serviceStack).toBeGreaterThan(-1);
    expect(monitoring).toBeGreaterThan(serviceStack);
    expect(dot.slice(monitoring)).toMatch(
      /^subgraph "cluster_hello_world_ecr_ecs_fargate__Monitoring" \{\n(?:.*\n)*?\s+"hello_world_ecr_ecs_fargate__MonitoringAlarms" \[label=<<B>CloudWatch alarms \(5\)<\/B>/,
    );
  });
});
