/**
 * Input patterns shared by the CloudFormation parameters (AllowedPattern, Java regex) and the
 * TypeScript validators, so the template and the tools accept exactly the same values.
 */

/** A Docker/ECR image tag: a word character first, then up to 127 of [A-Za-z0-9_.-]. */
export const IMAGE_TAG_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';

/** An IPv4 CIDR block such as 203.0.113.7/32 (security group ingress takes IPv4 here). */
export const IPV4_CIDR_PATTERN = `^(${OCTET}\\.){3}${OCTET}/(3[0-2]|[12]?[0-9])$`;

// Shapes, not lists: new regions appear without a release (eusc-de-east-1 has a 4-letter prefix).
const AWS_REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
// Profile names as people write them in ~/.aws/config; catches typos, spaces and pasted quotes.
const AWS_PROFILE_PATTERN = /^[\w.@+=,-]+$/;

/** An AWS region code such as eu-west-1 (shape only: the SDK and CDK reject unknown ones). */
export function isAwsRegion(value: string): boolean {
  return AWS_REGION_PATTERN.test(value);
}

/** A named profile as the AWS CLI writes it: letters, digits and . _ @ + = , - */
export function isAwsProfileName(value: string): boolean {
  return AWS_PROFILE_PATTERN.test(value);
}

export function isImageTag(value: string): boolean {
  return new RegExp(IMAGE_TAG_PATTERN).test(value);
}

export function isIpv4Cidr(value: string): boolean {
  return new RegExp(IPV4_CIDR_PATTERN).test(value);
}
