import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildArchitecture } from './architecture-model';
import type { CloudAssembly } from './cloud-assembly';
import { renderDot } from './dot';
import { renderDrawio } from './drawio';
import type { Layout } from './layout';
import { renderPng } from './png';

export interface GeneratedFile {
  readonly name: string;
  readonly content: Buffer;
}

/** The diagram's files, in the order they are written and checked. */
export const DIAGRAM_FILES = ['architecture.svg', 'architecture.png', 'architecture.drawio'];

/** Graphviz is injected: it loads only outside Jest (see layout.ts). */
export type LayOut = (dot: string) => Promise<Layout>;

/** Every diagram file for the synthesized stacks; the same templates give the same bytes. */
export async function generateDiagram(
  assembly: CloudAssembly,
  layOut: LayOut,
  rasterize: (svg: string) => Buffer = renderPng,
): Promise<GeneratedFile[]> {
  const architecture = buildArchitecture(assembly);
  const layout = await layOut(renderDot(architecture));
  return [
    { name: 'architecture.svg', content: Buffer.from(layout.svg) },
    { name: 'architecture.png', content: rasterize(layout.svg) },
    { name: 'architecture.drawio', content: Buffer.from(renderDrawio(architecture, layout.json)) },
  ];
}

/** Names of the files in `dir` that are missing or differ from the generated ones. */
export function findStaleFiles(files: readonly GeneratedFile[], dir: string): string[] {
  return files
    .filter((file) => {
      const path = join(dir, file.name);
      return !existsSync(path) || !readFileSync(path).equals(file.content);
    })
    .map((file) => file.name);
}

export function writeFiles(files: readonly GeneratedFile[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, file.name), file.content);
}
