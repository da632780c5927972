import {
  ChangeResourceRecordSetsCommand,
  ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';

/** The record set of `type` at `name`, or undefined: the updater's own reading (one rule for both). */
export { readRecordSet as findRecordSet } from '@hello-world/dns-updater';

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
