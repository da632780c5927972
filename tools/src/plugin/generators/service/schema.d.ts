/** Options of `nx g @hello-world/tools:service <name> [--port=N]` (schema.json). */
export interface ServiceGeneratorSchema {
  name: string;
  port?: number;
}
