// The mapped share on the real CloudTrail corpora (copies of ../shared/data/cloudtrail): at least 99 % of events map to an IAM action.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ingestCloudTrail } from '../../../src/usage/cloudtrail/ingest.js';

const CORPORA = fileURLToPath(new URL('../../../fixtures/cloudtrail-corpora/', import.meta.url));

describe('mapped share on the real corpora', () => {
  it('maps 726 of the 727 unique events of OTRF, Stratus Red Team and TrailDiscover (99.86 %)', async () => {
    // Given the three real corpora, as the project copies them (fixtures/cloudtrail-corpora)
    // When each, and all together, are ingested
    const shares = await Promise.all(
      ['otrf', 'stratus-detonation-logs', 'traildiscover', ''].map(async (corpus) => {
        const { coverage } = await ingestCloudTrail([`${CORPORA}${corpus}`], { concurrency: 1 });
        return { corpus: corpus || 'all', events: coverage.events, mapped: coverage.mapped };
      }),
    );
    // Then every corpus maps at least 99 % of its events; the one event left is TrailDiscover's
    // discovery-marketplace GetListingView, an AWS Marketplace API the IAM catalogue does not list
    expect(shares).toEqual([
      { corpus: 'otrf', events: 103, mapped: 103 },
      { corpus: 'stratus-detonation-logs', events: 310, mapped: 310 },
      { corpus: 'traildiscover', events: 314, mapped: 313 },
      { corpus: 'all', events: 727, mapped: 726 },
    ]);
    for (const { events, mapped } of shares) expect(mapped / events).toBeGreaterThanOrEqual(0.99);
  });
});
