// Entry point of the AWS IAM export connector: reads authorization-details and credential report files into the model.
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../../errors/errors.js';
import type { InputError, Inventory } from '../../../model/types.js';
import { addAuthorizationDocument, emptyAuthorizationDetails } from './authorizationDetails.js';
import { buildAwsInventory, type AwsExportSummary, type CredentialReportSource } from './buildInventory.js';
import { decodeCredentialReportText } from './credentialReport.js';
import { parseJsonDocuments } from './jsonText.js';

export type { AwsExportSummary } from './buildInventory.js';

/** The export files to read. */
export interface AwsExportInput {
  /**
   * `aws iam get-account-authorization-details` output: one document, pages (a JSON array of pages, documents
   * concatenated in one file, or one page per file), the raw API form with URL-encoded policy documents,
   * or AirIAM's `iam_data.json` (whose `CredentialReport` is read too).
   */
  authzFiles: string[];
  /** The credential report: raw CSV, the API's base64, the CLI's JSON `{Content, …}`, or AirIAM's row objects. */
  credentialReportFiles: string[];
}

/** What the exports held, normalized, and what could not be read. */
export interface AwsExportResult {
  inventory: Inventory;
  errors: InputError[];
  summary: AwsExportSummary;
}

/**
 * Reads AWS IAM export files into identities (`iam-user`, `iam-role`, `aws-root`), credentials
 * (`aws-access-key` by report slot, `console-password`, `x509-certificate`), grants (one per action pattern ×
 * resource of every inline, attached and group policy, sourcePolicy `inline:<name>`, `<policy ARN>` or
 * `group:<group>/<inline name or policy ARN>`) and edges (`can-assume`, `trusts-oidc` from trust policies).
 *
 * Never throws for bad input: an unreadable file, invalid JSON (with line and column), a document of the
 * wrong kind, a CSV without the report's columns or a malformed policy becomes an InputError naming the file,
 * and everything else still loads. Attached policies whose documents are not available are listed in the
 * identity's `unresolved_policies` attribute and in `summary.unresolvedPolicies`, never dropped silently.
 * A user known only from the credential report has `sources: ["credential-report"]` (its grants are unknown).
 */
export async function readAwsExports(input: AwsExportInput): Promise<AwsExportResult> {
  const errors: InputError[] = [];
  const details = emptyAuthorizationDetails();
  for (const file of input.authzFiles) {
    const text = await readText(file, errors);
    if (text === null) continue;
    const parsed = parseJsonDocuments(text);
    if (!parsed.ok) {
      errors.push({ file, message: parsed.message });
      continue;
    }
    for (const document of parsed.documents) {
      for (const message of addAuthorizationDocument(details, file, document)) errors.push({ file, message });
    }
  }
  const reports: CredentialReportSource[] = [];
  for (const file of input.credentialReportFiles) {
    const text = await readText(file, errors);
    if (text === null) continue;
    const decoded = decodeCredentialReportText(text);
    if (decoded.ok) reports.push({ file, rows: decoded.rows });
    else errors.push({ file, message: decoded.message });
  }
  const built = buildAwsInventory(details, reports);
  return { inventory: built.inventory, errors: [...errors, ...built.errors], summary: built.summary };
}

/** A file's text, or null with an error recorded (missing file, directory, permission denied). */
async function readText(file: string, errors: InputError[]): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    errors.push({ file, message: `cannot read the file: ${errorMessage(error)}` });
    return null;
  }
}
