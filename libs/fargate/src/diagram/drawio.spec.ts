import type { Architecture } from './architecture-model';
import { readBoxes, renderDrawio } from './drawio';

// A graphviz -Tjson layout: 200×100 pt graph, one cluster, two nodes (sizes in inches).
const layout = JSON.stringify({
  bb: '0,0,200,100',
  objects: [
    { name: 'cluster_Net', bb: '100,10,190,90' },
    { name: 'Outside', pos: '40,50', width: '1', height: '0.5' },
    { name: 'Task', pos: '145,50', width: '0.5', height: '0.5' },
  ],
});

const architecture: Architecture = {
  title: 'test',
  nodes: [
    { id: 'Outside', kind: 'external', title: 'Users & friends', lines: ['from <anywhere>'] },
    { id: 'Task', kind: 'compute', title: 'Fargate task', lines: [] },
  ],
  groups: [
    { id: 'Net', kind: 'subnet', title: 'Subnet', lines: [], nodeIds: ['Task'], groups: [] },
  ],
  edges: [{ from: 'Outside', to: 'Net', label: 'HTTP', kind: 'traffic' }],
};

describe('readBoxes', () => {
  it('GIVEN graphviz positions (bottom-left origin, centres, inches) WHEN read THEN boxes are top-left, in points', () => {
    const boxes = readBoxes(layout);

    expect(boxes.get('cluster_Net')).toEqual({ x: 100, y: 10, width: 90, height: 80 });
    expect(boxes.get('Outside')).toEqual({ x: 4, y: 32, width: 72, height: 36 });
  });
});

describe('renderDrawio', () => {
  const xml = renderDrawio(architecture, layout);

  it('GIVEN a layout WHEN rendered THEN each node is a vertex at its graphviz position', () => {
    expect(xml).toContain(
      '<mxCell id="Task" value="&lt;b&gt;Fargate task&lt;/b&gt;" style="rounded=1;',
    );
    expect(xml).toContain('<mxGeometry x="127" y="32" width="36" height="36" as="geometry"/>');
  });

  it('GIVEN text with markup characters WHEN rendered THEN it is escaped twice: for HTML, then for XML', () => {
    expect(xml).toContain(
      'value="&lt;b&gt;Users &amp;amp; friends&lt;/b&gt;&lt;br&gt;from &amp;lt;anywhere&amp;gt;"',
    );
  });

  it('GIVEN an edge to a group WHEN rendered THEN it connects to the group frame', () => {
    expect(xml).toMatch(
      /<mxCell id="edge0" value="HTTP" style="[^"]*" edge="1" parent="1" source="Outside" target="Net">/,
    );
  });

  it('GIVEN groups and nodes WHEN rendered THEN groups come first, so frames stay behind boxes', () => {
    expect(xml.indexOf('id="Net"')).toBeLessThan(xml.indexOf('id="Outside"'));
  });

  it('GIVEN a monitoring group with an SNS topic WHEN rendered THEN the frame and the box have their colours', () => {
    const monitoring = renderDrawio(
      {
        title: 'monitoring',
        nodes: [{ id: 'Topic', kind: 'messaging', title: 'SNS topic', lines: [] }],
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
      },
      layout,
    );

    expect(monitoring).toMatch(/<mxCell id="Monitoring" [^>]*strokeColor=#E7157B;/);
    expect(monitoring).toMatch(/<mxCell id="Topic" [^>]*fillColor=#FCE4F1;strokeColor=#B0084D;/);
  });
});
