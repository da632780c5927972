/**
 * Input patterns shared by the CloudFormation parameters (AllowedPattern, Java regex) and the
 * TypeScript validators, so the template and the tools accept exactly the same values.
 */

/** A Docker/ECR image tag: a word character first, then up to 127 of [A-Za-z0-9_.-]. */
export const IMAGE_TAG_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';

/**
 * An IPv4 CIDR block such as 203.0.113.7/32 (security group ingress takes IPv4 here). Shape only:
 * it cannot tell 10.0.0.1/24 (host bits set) from 10.0.0.0/24, and CloudFormation's
 * AllowedPattern is all the template has, so the template alone accepts 8.8.8.8/0, which EC2
 * masks to 0.0.0.0/0, the whole internet. Every edge that takes an AllowedIP (synth config,
 * infra:deploy's --allowed-ip / ALLOWED_IP, the doctor reading a deployed stack) also runs
 * checkIpv4Cidr, which does the arithmetic.
 */
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

/** The one CIDR that admits every IPv4 address. */
export const WHOLE_INTERNET_CIDR = '0.0.0.0/0';

/**
 * An AllowedIP checked beyond its shape. `network` is the block the value stands for (what EC2
 * keeps once it drops host bits): the value itself when it is canonical, the corrected network
 * when only host bits are wrong, absent when the value is no IPv4 CIDR at all.
 */
export type Ipv4CidrCheck =
  { ok: true; network: string } | { ok: false; problem: string; network?: string };

/**
 * `10.0.0.0/24` is fine; `10.0.0.1/24` and `8.8.8.8/0` have host bits set, which EC2 silently
 * masks (8.8.8.8/0 becomes 0.0.0.0/0): the problem says which network that is and asks whether
 * it, or the one address, was meant. The problem is a clause for one line, without the value.
 */
export function checkIpv4Cidr(value: string): Ipv4CidrCheck {
  if (!isIpv4Cidr(value)) {
    return { ok: false, problem: 'not an IPv4 CIDR like 203.0.113.7/32 (or 0.0.0.0/0 for anyone)' };
  }
  const [address = '', prefixText = ''] = value.split('/');
  const prefix = Number(prefixText);
  // Plain arithmetic, not bitwise operators: those work on signed 32-bit numbers.
  const ip = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const blockSize = 2 ** (32 - prefix);
  const network = `${toDottedQuad(Math.floor(ip / blockSize) * blockSize)}/${prefix}`;
  if (network === value) return { ok: true, network };
  const whole = network === WHOLE_INTERNET_CIDR ? ', the whole internet' : '';
  return {
    ok: false,
    network,
    problem: `host bits are set (a /${prefix} keeps only its first ${prefix} bits, so it means ${network}${whole}): did you mean ${network}, or ${address}/32 for that one address?`,
  };
}

/** True when the CIDR, host bits dropped as EC2 drops them, admits every IPv4 address. */
export function isWholeInternet(cidr: string): boolean {
  return checkIpv4Cidr(cidr).network === WHOLE_INTERNET_CIDR;
}

function toDottedQuad(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * An email address SNS can subscribe, or '' for none: the AlertEmail parameter's AllowedPattern
 * and isEmailAddress's. Shape only (one @, a dotted domain, no spaces); SNS's confirmation email
 * proves the rest.
 */
export const ALERT_EMAIL_PATTERN =
  "^$|^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$";

const EMAIL_ADDRESS = new RegExp(ALERT_EMAIL_PATTERN.slice('^$|'.length));

/** An address alarms can email, such as ops@example.com (shape only, as the template checks). */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL_ADDRESS.test(value);
}

/**
 * A secret's NAME: the environment variable the container gets, and the last part of its SSM
 * parameter. Upper case, digits and underscores, starting with a letter, as shells and ECS take
 * variable names.
 */
export const SECRET_NAME_PATTERN = '^[A-Z][A-Z0-9_]{0,127}$';

export function isSecretName(value: string): boolean {
  return new RegExp(SECRET_NAME_PATTERN).test(value);
}
