import type { CfnTemplate } from './cloud-assembly';

/** `{ Ref: X }` → X, anything else → undefined. */
export function refOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'Ref' in value) {
    const ref = (value as { Ref: unknown }).Ref;
    return typeof ref === 'string' ? ref : undefined;
  }
  return undefined;
}

/** `{ Fn::GetAtt: [X, attr] }` → X, anything else → undefined. */
export function getAttOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'Fn::GetAtt' in value) {
    const [logicalId] = (value as { 'Fn::GetAtt': unknown[] })['Fn::GetAtt'];
    return typeof logicalId === 'string' ? logicalId : undefined;
  }
  return undefined;
}

/** The resource a Ref or GetAtt points at. */
export function referencedId(value: unknown): string | undefined {
  return refOf(value) ?? getAttOf(value);
}

/**
 * A template value as a reader would say it: literals as they are, a parameter as
 * `Name (default value)`, pseudo parameters and other intrinsics as `{Name}`, joins joined.
 */
export function describeValue(value: unknown, template: CfnTemplate): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  const ref = refOf(value);
  if (ref !== undefined) {
    const parameter = template.Parameters?.[ref];
    if (parameter) return `${ref} (default ${String(parameter.Default ?? 'none')})`;
    return `{${ref}}`;
  }
  if ('Fn::Join' in value) {
    const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return parts.map((part) => describeValue(part, template)).join(separator);
  }
  const getAtt = getAttOf(value);
  if (getAtt !== undefined) return `{${getAtt}}`;
  return JSON.stringify(value);
}

/** The tag of an image URI: the parameter's name when it is one (`ImageTag`), else the literal. */
export function describeImageTag(image: unknown, template: CfnTemplate): string {
  const parts = (image as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join']?.[1];
  const parameter = refOf(parts?.at(-1));
  if (parameter !== undefined && template.Parameters?.[parameter]) return parameter;
  return /:([^:/]*)$/.exec(describeValue(image, template))?.[1] ?? 'latest';
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
