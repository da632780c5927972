import { FLAGS } from 'aws-cdk-lib/cx-api';
import { readCdkJsonContext } from './synth-for-test';

describe('cdk.json feature flags', () => {
  it('pins every flag whose unset value differs from the recommended one', () => {
    // GIVEN the flags the installed aws-cdk-lib knows and the context cdk.json pins
    const pinned = readCdkJsonContext();
    // WHEN we list those left unset that would not behave as recommended
    const unpinned = Object.entries(FLAGS)
      .filter(([name]) => !(name in pinned))
      .filter(([, flag]) => flag.unconfiguredBehavesLike?.v2 !== flag.recommendedValue)
      .map(([name]) => name);
    // THEN there are none: after an aws-cdk-lib upgrade, run
    // `cd apps/infra && npx cdk flags --unstable=flags --set --safe` (flags that keep the
    // templates), then decide the rest one by one; otherwise synth warns on every run
    expect(unpinned).toEqual([]);
  });
});
