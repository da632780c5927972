// DescribeImageScanFindings answers shaped after the ECR API reference and real responses:
// basic scanning (findings[] with package attributes) and enhanced scanning (Amazon Inspector's
// enhancedFindings[]), and the states a scan passes through.
import type {
  DescribeImageScanFindingsCommandOutput,
  EnhancedImageScanFinding,
  ImageScanFinding,
} from '@aws-sdk/client-ecr';
import { ACCOUNT, NAME, REGION, TAG } from './fixtures';

export const IMAGE_DIGEST =
  'sha256:3f1c0e2b9d8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a291807f6e';

type Answer = Omit<DescribeImageScanFindingsCommandOutput, '$metadata'>;

function answer(status: string, description: string, extra: Partial<Answer> = {}): Answer {
  return {
    registryId: ACCOUNT,
    repositoryName: NAME,
    imageId: { imageDigest: IMAGE_DIGEST, imageTag: TAG },
    imageScanStatus: { status: status as never, description },
    ...extra,
  };
}

/** Scan on push has queued the scan. */
export function scanPending(): Answer {
  return answer('PENDING', 'Pending start of the image scan.', {
    imageScanFindings: { findings: [], enhancedFindings: [] },
  });
}

export function scanInProgress(): Answer {
  return answer('IN_PROGRESS', 'The image scan is in progress.');
}

/** A basic-scanning finding as ECR reports it (CVE, severity, package attributes, CVSS). */
export function basicFinding(
  name: string,
  severity: ImageScanFinding['severity'],
  packageName: string,
  packageVersion: string,
): ImageScanFinding {
  return {
    name,
    description: `A vulnerability in ${packageName} ${packageVersion}.`,
    uri: `https://security-tracker.debian.org/tracker/${name}`,
    severity,
    attributes: [
      { key: 'package_version', value: packageVersion },
      { key: 'package_name', value: packageName },
      { key: 'CVSS2_VECTOR', value: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
      { key: 'CVSS2_SCORE', value: '7.5' },
    ],
  };
}

export const BASIC_FINDINGS = [
  basicFinding('CVE-2024-5535', 'CRITICAL', 'openssl', '3.0.11-1~deb12u2'),
  basicFinding('CVE-2024-6119', 'HIGH', 'openssl', '3.0.11-1~deb12u2'),
  basicFinding('CVE-2023-50495', 'MEDIUM', 'ncurses', '6.4-4'),
  basicFinding('CVE-2011-3374', 'LOW', 'apt', '2.6.1'),
];

/** A finished basic scan: its findings (one page unless nextToken) and ECR's counts. */
export function basicScanComplete(
  findings: ImageScanFinding[] = BASIC_FINDINGS,
  extra: Partial<Answer> = {},
  counts: Record<string, number> = countBySeverity(findings.map((f) => f.severity ?? '')),
): Answer {
  return answer('COMPLETE', 'The scan was completed successfully.', {
    imageScanFindings: {
      findings,
      imageScanCompletedAt: new Date('2026-11-25T18:00:42.000Z'),
      vulnerabilitySourceUpdatedAt: new Date('2026-11-25T06:12:09.000Z'),
      ...(findings.length > 0 || Object.keys(counts).length > 0
        ? { findingSeverityCounts: counts }
        : {}),
    },
    ...extra,
  });
}

/** An Amazon Inspector finding, as enhanced scanning reports it. */
export function enhancedFinding(
  vulnerabilityId: string,
  severity: string,
  packages: { name: string; version: string; fixedInVersion?: string }[],
): EnhancedImageScanFinding {
  const first = packages[0]?.name ?? 'package';
  return {
    awsAccountId: ACCOUNT,
    description: `A vulnerability in ${first}.`,
    findingArn: `arn:aws:inspector2:${REGION}:${ACCOUNT}:finding/4f0a1b2c3d4e5f60718293a4b5c6d7e8`,
    firstObservedAt: new Date('2026-11-25T18:01:10.000Z'),
    lastObservedAt: new Date('2026-11-25T18:01:10.000Z'),
    packageVulnerabilityDetails: {
      cvss: [
        {
          baseScore: 7.5,
          scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
          source: 'NVD',
          version: '3.1',
        },
      ],
      referenceUrls: [`https://nvd.nist.gov/vuln/detail/${vulnerabilityId}`],
      relatedVulnerabilities: [],
      source: 'NVD',
      sourceUrl: `https://nvd.nist.gov/vuln/detail/${vulnerabilityId}`,
      vendorCreatedAt: new Date('2024-09-03T16:15:06.000Z'),
      vendorSeverity: severity,
      vulnerabilityId,
      vulnerablePackages: packages.map((p) => ({
        arch: 'X86_64',
        epoch: 0,
        name: p.name,
        packageManager: 'NODEPKG',
        filePath: `app/node_modules/${p.name}/package.json`,
        version: p.version,
        ...(p.fixedInVersion ? { fixedInVersion: p.fixedInVersion } : {}),
      })),
    },
    remediation: { recommendation: { text: 'None Provided' } },
    resources: [
      {
        id: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${NAME}/${IMAGE_DIGEST}`,
        type: 'AWS_ECR_CONTAINER_IMAGE',
        details: {
          awsEcrContainerImage: {
            architecture: 'amd64',
            imageHash: IMAGE_DIGEST,
            imageTags: [TAG],
            platform: 'DEBIAN_12',
            pushedAt: new Date('2026-11-25T18:00:05.000Z'),
            registry: ACCOUNT,
            repositoryName: NAME,
          },
        },
      },
    ],
    score: 7.5,
    severity,
    status: 'ACTIVE',
    title: `${vulnerabilityId} - ${packages.map((p) => p.name).join(', ')}`,
    type: 'PACKAGE_VULNERABILITY',
    updatedAt: new Date('2026-11-25T18:01:10.000Z'),
    fixAvailable: 'YES',
    exploitAvailable: 'NO',
  };
}

export const ENHANCED_FINDINGS = [
  enhancedFinding('CVE-2024-21538', 'HIGH', [
    { name: 'cross-spawn', version: '7.0.3', fixedInVersion: '7.0.5' },
  ]),
  enhancedFinding('GHSA-3xgq-45jj-v275', 'UNTRIAGED', [{ name: 'cross-spawn', version: '6.0.5' }]),
  enhancedFinding('CVE-2024-45590', 'HIGH', [
    { name: 'body-parser', version: '1.20.2', fixedInVersion: '1.20.3' },
    { name: 'raw-body', version: '2.5.2' },
  ]),
];

/** Continuous enhanced scanning's answer: status ACTIVE with Inspector's findings. */
export function enhancedScanActive(
  findings: EnhancedImageScanFinding[] = ENHANCED_FINDINGS,
): Answer {
  return answer('ACTIVE', 'Continuous scan is selected for image.', {
    imageScanFindings: {
      enhancedFindings: findings,
      findingSeverityCounts: countBySeverity(findings.map((f) => f.severity ?? '')),
    },
  });
}

export function scanStatus(status: string, description: string): Answer {
  return answer(status, description);
}

function countBySeverity(severities: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of severities) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

/** ECR's answer for an image it holds no scan of (scan on push was off). */
export function scanNotFoundError(): Error {
  return Object.assign(
    new Error(
      `Image scan does not exist for the image with '{imageDigest:'${IMAGE_DIGEST}', imageTag:'null'}' in the repository with name '${NAME}' in the registry with id '${ACCOUNT}'`,
    ),
    { name: 'ScanNotFoundException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
  );
}
