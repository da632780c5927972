// Graphviz compiled to WebAssembly ships as an ES module only: Node 24 loads it through
// require(esm), Jest's module registry cannot, so only the CLI imports this file.
import { Graphviz } from '@hpcc-js/wasm-graphviz';

export interface Layout {
  /** The picture, as graphviz draws it. */
  readonly svg: string;
  /** The same layout as graphviz's JSON (`-Tjson`): positions for the draw.io copy. */
  readonly json: string;
}

/** Lays the graph out once per format with the `dot` engine, entirely in-process. */
export async function layOut(dot: string): Promise<Layout> {
  const graphviz = await Graphviz.load();
  return { svg: graphviz.layout(dot, 'svg', 'dot'), json: graphviz.layout(dot, 'json', 'dot') };
}
