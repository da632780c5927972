import type { Architecture, DiagramGroup } from './architecture-model';
import { EDGE_STYLES, FONT_FAMILY, GROUP_STYLES, NODE_COLOURS } from './dot';

interface GraphvizObject {
  readonly name: string;
  /** Clusters: `llx,lly,urx,ury` in points, origin bottom-left. */
  readonly bb?: string;
  /** Nodes: centre `x,y` in points. */
  readonly pos?: string;
  /** Nodes: inches. */
  readonly width?: string;
  readonly height?: string;
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Text for an XML attribute. */
function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Text inside draw.io's HTML labels (then escaped again for the attribute). */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const round = (value: number): number => Math.round(value);

/** Graphviz boxes (bottom-left origin, points, inches) → draw.io boxes (top-left origin, px). */
export function readBoxes(layoutJson: string): Map<string, Box> {
  const layout = JSON.parse(layoutJson) as { bb: string; objects?: GraphvizObject[] };
  const height = Number(layout.bb.split(',')[3]);
  const boxes = new Map<string, Box>();
  for (const object of layout.objects ?? []) {
    if (object.bb) {
      const [llx, lly, urx, ury] = object.bb.split(',').map(Number);
      boxes.set(object.name, {
        x: round(llx),
        y: round(height - ury),
        width: round(urx - llx),
        height: round(ury - lly),
      });
    } else if (object.pos) {
      const [cx, cy] = object.pos.split(',').map(Number);
      const width = Number(object.width) * 72;
      const boxHeight = Number(object.height) * 72;
      boxes.set(object.name, {
        x: round(cx - width / 2),
        y: round(height - cy - boxHeight / 2),
        width: round(width),
        height: round(boxHeight),
      });
    }
  }
  return boxes;
}

function geometry(box: Box | undefined): string {
  const b = box ?? { x: 0, y: 0, width: 160, height: 60 };
  return `<mxGeometry x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" as="geometry"/>`;
}

function collectGroups(groups: readonly DiagramGroup[]): DiagramGroup[] {
  return groups.flatMap((group) => [group, ...collectGroups(group.groups)]);
}

/**
 * An editable draw.io file with graphviz's positions: groups as frames (outermost first, so
 * they stay behind), resources as boxes, relations as connectors that move with their boxes.
 */
export function renderDrawio(architecture: Architecture, layoutJson: string): string {
  const boxes = readBoxes(layoutJson);
  const font = `fontFamily=${FONT_FAMILY};`;
  const cells: string[] = [];

  for (const group of collectGroups(architecture.groups)) {
    const style = GROUP_STYLES[group.kind];
    const value = [`<b>${escapeHtml(group.title)}</b>`, ...group.lines.map(escapeHtml)].join(
      '<br>',
    );
    cells.push(
      `<mxCell id="${group.id}" value="${escapeXml(value)}" style="rounded=1;arcSize=2;whiteSpace=wrap;html=1;fillColor=none;strokeColor=${style.stroke};strokeWidth=1.4;dashed=${style.dashed ? 1 : 0};verticalAlign=top;align=left;spacingLeft=6;fontSize=12;${font}" vertex="1" parent="1">${geometry(boxes.get(`cluster_${group.id}`))}</mxCell>`,
    );
  }
  for (const node of architecture.nodes) {
    const colour = NODE_COLOURS[node.kind];
    const value = [`<b>${escapeHtml(node.title)}</b>`, ...node.lines.map(escapeHtml)].join('<br>');
    cells.push(
      `<mxCell id="${node.id}" value="${escapeXml(value)}" style="rounded=1;whiteSpace=wrap;html=1;fillColor=${colour.fill};strokeColor=${colour.stroke};strokeWidth=1.4;align=left;spacingLeft=6;fontSize=10;${font}" vertex="1" parent="1">${geometry(boxes.get(node.id))}</mxCell>`,
    );
  }
  architecture.edges.forEach((edge, index) => {
    const style = EDGE_STYLES[edge.kind];
    cells.push(
      `<mxCell id="edge${index}" value="${escapeXml(escapeHtml(edge.label))}" style="edgeStyle=orthogonalEdgeStyle;rounded=1;html=1;strokeColor=${style.colour};fontColor=${style.colour};strokeWidth=${style.width};dashed=${style.dashed ? 1 : 0};endArrow=block;endSize=5;fontSize=9;labelBackgroundColor=#FFFFFF;${font}" edge="1" parent="1" source="${edge.from}" target="${edge.to}"><mxGeometry relative="1" as="geometry"/></mxCell>`,
    );
  });

  return [
    '<mxfile host="hello-world libs/fargate/src/diagram" type="device">',
    '  <diagram id="architecture" name="Architecture">',
    '    <mxGraphModel grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="0" pageScale="1" math="0" shadow="0">',
    '      <root>',
    '        <mxCell id="0"/>',
    '        <mxCell id="1" parent="0"/>',
    ...cells.map((cell) => `        ${cell}`),
    '      </root>',
    '    </mxGraphModel>',
    '  </diagram>',
    '</mxfile>',
    '',
  ].join('\n');
}
