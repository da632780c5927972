import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  ResourceRecordSet,
  Route53Client,
  RRType,
} from '@aws-sdk/client-route-53';
import { normalizeDomainName } from '@hello-world/shared';

/**
 * The record set of `type` at `name` in the zone, or undefined. Route 53 has no "get record":
 * ListResourceRecordSets starts at (name, type) and returns the next record in its order, which
 * is another name when ours is absent; and it answers names with a trailing dot.
 */
export async function findRecordSet(
  route53: Route53Client,
  hostedZoneId: string,
  name: string,
  type: RRType,
): Promise<ResourceRecordSet | undefined> {
  const { ResourceRecordSets } = await route53.send(
    new ListResourceRecordSetsCommand({
      HostedZoneId: hostedZoneId,
      StartRecordName: normalizeDomainName(name),
      StartRecordType: type,
      MaxItems: 1,
    }),
  );
  const first = ResourceRecordSets?.[0];
  return first &&
    first.Type === type &&
    normalizeDomainName(first.Name ?? '') === normalizeDomainName(name)
    ? first
    : undefined;
}

/** A record set's values (A addresses, quoted TXT strings), sorted. */
export function recordValues(record: ResourceRecordSet | undefined): string[] {
  return (record?.ResourceRecords ?? []).map((r) => r.Value ?? '').sort();
}

/**
 * Deletes the record sets as they are, in one change batch: all or nothing. Route 53 deletes a
 * record only when name, type, TTL and values match exactly, so a record changed since it was
 * read is left alone (InvalidChangeBatch).
 */
export async function deleteRecordSets(
  route53: Route53Client,
  hostedZoneId: string,
  records: ResourceRecordSet[],
  comment: string,
): Promise<string | undefined> {
  if (records.length === 0) return undefined;
  const { ChangeInfo } = await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: hostedZoneId,
      ChangeBatch: {
        Comment: comment,
        Changes: records.map((record) => ({ Action: 'DELETE', ResourceRecordSet: record })),
      },
    }),
  );
  return ChangeInfo?.Id;
}
