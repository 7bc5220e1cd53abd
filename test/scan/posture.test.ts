// The scorecard judges a scan by the posture tags its rules ran with (kept in rule_stats), the config's own rules included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlannedSource } from '../../src/connectors/contract.js';
import { inventoryFromCase } from '../../src/rules/selftest.js';
import { agentScorecardOf } from '../../src/scan/posture.js';
import { runScan } from '../../src/scan/service.js';
import { openDatabaseReadOnly } from '../../src/store/database.js';

const AGENT = 'openai:service-account:svc_triage';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-posture-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** One agent key, owned and with a purpose, that no built-in rule fails on observability. */
const estate: PlannedSource = {
  id: 'fake-openai',
  collect: () =>
    Promise.resolve([
      {
        name: 'fake-openai',
        inventory: inventoryFromCase({
          identities: [
            {
              id: AGENT,
              provider: 'openai',
              kind: 'service-account',
              name: 'triage-agent',
              account: 'Support',
              owner: 'ana@example.com',
              purpose: 'summarises tickets',
              isAgent: true,
            },
          ],
        }),
        coverage: {},
        errors: [],
        detail: 'one agent',
      },
    ]),
};

/** The team's own rule: every agent must log to their SIEM, which they mark with a tag. */
const RULE = `id: acme-agent-not-in-siem
title: Agent that does not log to the SIEM
severity: low
category: hygiene
posture: observable
description: every agent must send its actions to the SIEM (tag siem=true)
risk: what an agent does outside the SIEM nobody will see
remediation: wire the agent's logs to the SIEM and tag it siem=true
references:
  - { id: ACME-1, title: 'ACME logging standard', url: 'https://example.com/logging' }
query: |
  SELECT id AS resource,
    CASE WHEN json_extract(tags, '$.siem') = 'true' THEN 'ok' ELSE 'alarm' END AS status,
    'not tagged siem=true' AS reason
  FROM identities WHERE is_agent = 1
tests:
  alarm:
    - description: an untagged agent
      inventory: { identities: [{ id: a1, isAgent: true }] }
      expect: [a1]
  pass:
    - description: a tagged agent
      inventory: { identities: [{ id: a1, isAgent: true, tags: { siem: 'true' } }] }
`;

describe('the posture tags a scan ran with', () => {
  it('fail the tagged property with the user rule’s finding, read from the cache alone; an old scan falls back to the built-in tags', async () => {
    // Given a rules folder of the team's with a rule tagged posture: observable
    const rules = path.join(dir, 'rules');
    fs.mkdirSync(rules);
    fs.writeFileSync(path.join(rules, 'acme-agent-not-in-siem.yaml'), RULE);
    const db = path.join(dir, 'cache.db');
    // When the estate is scanned with it
    const outcome = await runScan({
      dbPath: db,
      asOf: '2026-06-01T00:00:00Z',
      since: '2026-03-03T00:00:00Z',
      sources: [estate],
      rulesDirs: [rules],
      config: {},
      baseline: null,
    });
    const reader = openDatabaseReadOnly(db);
    const finding = reader
      .prepare(`SELECT id FROM findings WHERE scan_id = ? AND rule_id = 'acme-agent-not-in-siem'`)
      .get(outcome.scanId) as { id: string };
    reader.close();
    // Then the agent's scorecard, read from the cache alone (as `rightsize` reads it), fails
    // observable with that finding
    expect(agentScorecardOf(db, AGENT)?.properties.observable).toMatchObject({
      status: 'fail',
      findings: [finding.id],
    });
    // And a scan recorded before the tags were kept (posture NULL) is judged by the built-in rules' tags, which do
    // not know the team's rule
    const writer = new Database(db);
    writer.prepare('UPDATE rule_stats SET posture = NULL WHERE scan_id = ?').run(outcome.scanId);
    writer.close();
    expect(agentScorecardOf(db, AGENT)?.properties.observable.findings).toEqual([]);
  });
});
