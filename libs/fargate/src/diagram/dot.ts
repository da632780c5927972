import type {
  Architecture,
  DiagramGroup,
  DiagramNode,
  EdgeKind,
  GroupKind,
  NodeKind,
} from './architecture-model';

/** The one font of every format: graphviz knows its metrics, the PNG renderer loads its file. */
export const FONT_FAMILY = 'DejaVu Sans';

/** Fill and border per AWS service family (AWS architecture icon colours, lightened). */
export const NODE_COLOURS: Record<NodeKind, { fill: string; stroke: string }> = {
  compute: { fill: '#FDEBD8', stroke: '#ED7100' },
  registry: { fill: '#FDEBD8', stroke: '#C7511F' },
  network: { fill: '#EDE3FF', stroke: '#8C4FFF' },
  logs: { fill: '#FBE0EE', stroke: '#E7157B' },
  security: { fill: '#FBE1E4', stroke: '#DD344C' },
  external: { fill: '#F2F3F3', stroke: '#545B64' },
  monitoring: { fill: '#FBE0EE', stroke: '#E7157B' },
  messaging: { fill: '#FCE4F1', stroke: '#B0084D' },
};

export const GROUP_STYLES: Record<GroupKind, { stroke: string; dashed: boolean }> = {
  region: { stroke: '#147EBA', dashed: true },
  stack: { stroke: '#7D8998', dashed: true },
  vpc: { stroke: '#8C4FFF', dashed: false },
  subnet: { stroke: '#7AA116', dashed: false },
  securityGroup: { stroke: '#DD344C', dashed: true },
  cluster: { stroke: '#ED7100', dashed: false },
  monitoring: { stroke: '#E7157B', dashed: false },
};

export const EDGE_STYLES: Record<
  EdgeKind,
  { colour: string; dashed: boolean; width: number; below: boolean }
> = {
  traffic: { colour: '#232F3E', dashed: false, width: 1.2, below: false },
  image: { colour: '#C7511F', dashed: false, width: 2.4, below: false },
  permission: { colour: '#DD344C', dashed: true, width: 1, below: true },
  control: { colour: '#7D8998', dashed: true, width: 1, below: true },
};

/** Text inside a graphviz HTML-like label. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function nodeLabel(node: DiagramNode): string {
  const lines = node.lines.map((line) => `${escapeHtml(line)}<BR ALIGN="LEFT"/>`).join('');
  return `<<B>${escapeHtml(node.title)}</B><BR ALIGN="LEFT"/>${lines}>`;
}

function clusterName(group: DiagramGroup): string {
  return `cluster_${group.id}`;
}

function renderNode(node: DiagramNode, indent: string): string {
  const colour = NODE_COLOURS[node.kind];
  return `${indent}"${node.id}" [label=${nodeLabel(node)}, fillcolor="${colour.fill}", color="${colour.stroke}"];`;
}

function renderGroup(
  group: DiagramGroup,
  nodesById: Map<string, DiagramNode>,
  indent: string,
): string[] {
  const style = GROUP_STYLES[group.kind];
  const inner = `${indent}  `;
  return [
    `${indent}subgraph "${clusterName(group)}" {`,
    `${inner}label=<<B>${escapeHtml(group.title)}</B>${group.lines.map((line) => `<BR ALIGN="LEFT"/>${escapeHtml(line)}`).join('')}<BR ALIGN="LEFT"/>>;`,
    `${inner}color="${style.stroke}"; style="${style.dashed ? 'rounded,dashed' : 'rounded'}"; penwidth=1.4;`,
    ...group.groups.flatMap((child) => renderGroup(child, nodesById, inner)),
    ...group.nodeIds.map((id) => renderNode(nodesById.get(id) as DiagramNode, inner)),
    `${indent}}`,
  ];
}

function collectGroups(groups: readonly DiagramGroup[]): DiagramGroup[] {
  return groups.flatMap((group) => [group, ...collectGroups(group.groups)]);
}

/**
 * Graphviz source of the architecture. Edges that end at a group are drawn to one of its nodes
 * and clipped at the group's border (`lhead`), since graphviz edges join nodes only.
 */
export function renderDot(architecture: Architecture): string {
  const nodesById = new Map(architecture.nodes.map((node) => [node.id, node]));
  const groups = collectGroups(architecture.groups);
  const grouped = new Set(groups.flatMap((group) => group.nodeIds));
  const groupsById = new Map(groups.map((group) => [group.id, group]));
  const firstNodeIn = (group: DiagramGroup): string | undefined =>
    group.nodeIds[0] ?? group.groups.map(firstNodeIn).find(Boolean);

  const edges = architecture.edges.map((edge) => {
    const style = EDGE_STYLES[edge.kind];
    const group = groupsById.get(edge.to);
    const to = group ? firstNodeIn(group) : edge.to;
    // Roles and controllers rank below what they act on, so their arrows come up from below
    // instead of crossing the network's labels: declared reversed, drawn pointing the right way.
    const reversed = EDGE_STYLES[edge.kind].below;
    const clip = group ? [`${reversed ? 'ltail' : 'lhead'}="${clusterName(group)}"`] : [];
    const attributes = [
      `label=<${escapeHtml(edge.label)}>`,
      `color="${style.colour}"`,
      `fontcolor="${style.colour}"`,
      `penwidth=${style.width}`,
      ...(style.dashed ? ['style=dashed'] : []),
      ...(reversed ? ['dir=back'] : []),
      ...clip,
    ];
    const [tail, head] = reversed ? [to, edge.from] : [edge.from, to];
    return `  "${tail}" -> "${head}" [${attributes.join(', ')}];`;
  });

  return [
    'digraph architecture {',
    `  graph [rankdir=TB, compound=true, newrank=true, fontname="${FONT_FAMILY}", fontsize=12, nodesep=0.35, ranksep=0.55, pad=0.3, bgcolor="white", labelloc=t, labeljust=l, label=<<B>${escapeHtml(architecture.title)}</B>>];`,
    `  node [shape=box, style="rounded,filled", fontname="${FONT_FAMILY}", fontsize=10, margin="0.14,0.07", penwidth=1.4];`,
    `  edge [fontname="${FONT_FAMILY}", fontsize=9, arrowsize=0.7];`,
    ...architecture.nodes
      .filter((node) => !grouped.has(node.id))
      .map((node) => renderNode(node, '  ')),
    ...architecture.groups.flatMap((group) => renderGroup(group, nodesById, '  ')),
    ...edges,
    '}',
    '',
  ].join('\n');
}
