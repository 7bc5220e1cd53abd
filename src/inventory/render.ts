// Renders the inventory of a scan — every identity with owner, purpose, age, last use, expiry, credentials and, for agents,
// the posture scorecard — as text, JSON or CSV.
import { SCORECARD_COLUMNS, type PostureProperties } from '../analysis/posture.js';
import { redactSecrets } from '../report/redact.js';
import { scorecardTextLines } from '../report/scorecard.js';
import { formatCount, stripControlCharacters } from '../report/text.js';
import type { Identity } from '../model/types.js';
import type { TriageData, TriageIdentity } from '../triage/types.js';

/** Formats `agentaudit inventory` offers. */
export const INVENTORY_FORMATS = ['table', 'json', 'csv'] as const;
/** An inventory format. */
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

/** Which identities to list. */
export interface InventoryFilter {
  provider?: string;
  kind?: string;
  /** Only identities judged to be AI agents. */
  agentsOnly?: boolean;
  /** Only non-human identities (no console password, not a person's sign-in). */
  nonHumanOnly?: boolean;
}

/** One identity as the inventory lists it: the model's facts (no tags or attributes) and what the inventory adds. */
export type InventoryRow = Omit<Identity, 'tags' | 'attributes'> & {
  ownerStatus: string | null;
  ageDays: number | null;
  credentials: { id: string; kind: string; keyId: string | null; hint: string | null; status: string }[];
  openFindings: number;
  /** An agent's posture scorecard (each property's status, reason and the findings behind a failure); null for others. */
  posture: PostureProperties | null;
};

const DAY_MS = 86_400_000;

/** The latest of the identity's own last use and its credentials' last use. */
function lastUse(identity: TriageIdentity): string | null {
  const dates = [identity.lastUsedAt, ...identity.credentials.map((c) => c.lastUsedAt)].filter(
    (d): d is string => d !== null,
  );
  return dates.length === 0 ? null : dates.sort().at(-1)!;
}

/** The rows of the inventory, filtered, most-findings first then by provider, kind and name. Pure. */
export function inventoryRows(data: TriageData, filter: InventoryFilter = {}): InventoryRow[] {
  const open = new Set(data.findings.filter((f) => f.state === 'open').map((f) => f.id));
  const asOf = Date.parse(data.scan.asOf);
  const posture = new Map(data.agents.map((card) => [card.identity, card.properties] as const));
  return data.identities
    .filter((i) => !filter.provider || i.provider === filter.provider)
    .filter((i) => !filter.kind || i.kind === filter.kind)
    .filter((i) => !filter.agentsOnly || i.isAgent)
    .filter((i) => !filter.nonHumanOnly || !i.isHuman)
    .map((i) => ({
      id: i.id,
      provider: i.provider,
      kind: i.kind,
      name: i.name,
      account: i.account,
      arn: i.arn,
      owner: i.owner,
      ownerSource: i.ownerSource,
      ownerStatus: i.ownerStatus,
      purpose: i.purpose,
      createdAt: i.createdAt,
      ageDays: i.createdAt ? Math.floor((asOf - Date.parse(i.createdAt)) / DAY_MS) : null,
      lastUsedAt: lastUse(i),
      expiresAt: i.expiresAt,
      isHuman: i.isHuman,
      isAgent: i.isAgent,
      agentEvidence: i.agentEvidence,
      credentials: i.credentials.map(({ id, kind, keyId, hint, status }) => ({
        id,
        kind,
        keyId,
        hint,
        status,
      })),
      openFindings: i.findingIds.filter((id) => open.has(id)).length,
      posture: posture.get(i.id) ?? null,
    }))
    .sort(
      (a, b) =>
        b.openFindings - a.openFindings ||
        a.provider.localeCompare(b.provider) ||
        a.kind.localeCompare(b.kind) ||
        a.name.localeCompare(b.name),
    );
}

const clean = (text: string | null): string => (text === null ? '-' : stripControlCharacters(text));
const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : '-');

function ownerText(row: InventoryRow): string {
  if (!row.owner) return 'no owner';
  return row.ownerStatus && row.ownerStatus !== 'active' ? `${row.owner} (${row.ownerStatus})` : row.owner;
}

function renderTable(rows: InventoryRow[], data: TriageData): string {
  const header = `agentaudit inventory  scan #${data.scan.id}  as of ${data.scan.asOf}${data.scan.status === 'partial' ? '  PARTIAL: some input could not be read' : ''}`;
  const columns = ['provider', 'kind', 'name', 'owner', 'age', 'last used', 'expires', 'creds', 'findings'];
  const cells = rows.map((row) => [
    row.provider,
    row.kind,
    `${clean(row.name)}${row.isAgent ? ' [agent]' : ''}${row.isHuman ? ' [human]' : ''}`,
    clean(ownerText(row)),
    row.ageDays === null ? '-' : `${formatCount(row.ageDays)}d`,
    day(row.lastUsedAt),
    day(row.expiresAt),
    String(row.credentials.length),
    String(row.openFindings),
  ]);
  const caps = [10, 24, 44, 32, 7, 10, 10, 5, 8];
  const widths = columns.map((title, index) =>
    Math.min(caps[index]!, Math.max(title.length, ...cells.map((cell) => cell[index]!.length))),
  );
  const fit = (text: string, width: number): string =>
    text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
  const line = (values: string[]): string =>
    values
      .map((value, index) => fit(value, widths[index]!))
      .join('  ')
      .trimEnd();
  const agents = rows.filter((row) => row.isAgent).length;
  const ownerless = rows.filter((row) => !row.owner && !row.isHuman).length;
  const shown = new Set(rows.map((row) => row.id));
  const cards = data.agents.filter((card) => shown.has(card.identity));
  const posture =
    cards.length === 0
      ? []
      : ['', `Agent posture (${formatCount(cards.length)} agents)`, ...scorecardTextLines(cards)];
  return [
    header,
    '',
    line(columns),
    ...cells.map(line),
    '',
    `${formatCount(rows.length)} identities (${formatCount(agents)} agents, ${formatCount(ownerless)} non-human without an owner), ${formatCount(rows.reduce((n, r) => n + r.credentials.length, 0))} credentials`,
    ...posture,
  ].join('\n');
}

const CSV_COLUMNS: (keyof InventoryRow)[] = [
  'id',
  'provider',
  'kind',
  'name',
  'account',
  'arn',
  'owner',
  'ownerSource',
  'ownerStatus',
  'purpose',
  'createdAt',
  'ageDays',
  'lastUsedAt',
  'expiresAt',
  'isHuman',
  'isAgent',
  'openFindings',
];

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading = + - @ would be a formula in a spreadsheet: quote it with an apostrophe (OWASP CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** An agent's scorecard in one CSV cell: `distinct=fail scoped=pass …`; empty for other identities. */
function postureCell(posture: PostureProperties | null): string {
  if (!posture) return '';
  return SCORECARD_COLUMNS.map(({ key, title }) => `${title}=${posture[key].status}`).join(' ');
}

function renderCsv(rows: InventoryRow[]): string {
  const lines = [
    [...CSV_COLUMNS, 'credentials', 'posture'].join(','),
    ...rows.map((row) =>
      [
        ...CSV_COLUMNS.map((column) => csvCell(row[column])),
        csvCell(row.credentials.map((c) => c.keyId ?? c.id).join(' ')),
        csvCell(postureCell(row.posture)),
      ].join(','),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Renders the inventory of `data` in `format`, secrets masked. Pure. */
export function renderInventory(
  data: TriageData,
  format: InventoryFormat,
  filter: InventoryFilter = {},
): string {
  const rows = inventoryRows(data, filter);
  const text =
    format === 'json'
      ? `${JSON.stringify(
          { scan: { id: data.scan.id, asOf: data.scan.asOf, status: data.scan.status }, identities: rows },
          null,
          2,
        )}\n`
      : format === 'csv'
        ? renderCsv(rows)
        : renderTable(rows, data);
  return redactSecrets(text);
}
