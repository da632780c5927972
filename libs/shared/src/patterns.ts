/**
 * Input patterns shared by the CloudFormation parameters (AllowedPattern, Java regex) and the
 * TypeScript validators, so the template and the tools accept exactly the same values.
 */

/** A Docker/ECR image tag: a word character first, then up to 127 of [A-Za-z0-9_.-]. */
export const IMAGE_TAG_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';

/** An IPv4 CIDR block such as 203.0.113.7/32 (security group ingress takes IPv4 here). */
export const IPV4_CIDR_PATTERN = `^(${OCTET}\\.){3}${OCTET}/(3[0-2]|[12]?[0-9])$`;

export function isImageTag(value: string): boolean {
  return new RegExp(IMAGE_TAG_PATTERN).test(value);
}

export function isIpv4Cidr(value: string): boolean {
  return new RegExp(IPV4_CIDR_PATTERN).test(value);
}
