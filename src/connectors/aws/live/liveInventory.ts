// Normalizes what was read live through the export connector's own normalization, then adds what only the API knows.
import type { InputError, Inventory } from '../../../model/types.js';
import { addAuthorizationDocument, emptyAuthorizationDetails } from '../exports/authorizationDetails.js';
import {
  buildAwsInventory,
  type AwsExportSummary,
  type CredentialReportSource,
} from '../exports/buildInventory.js';
import { decodeCredentialReportText } from '../exports/credentialReport.js';
import { joinListedAccessKeys } from './accessKeys.js';
import type { IamReading } from './iamReader.js';
import { describeIdentityProviders } from './identityProviders.js';

/** What a live read amounts to: the export summary plus the API-only counts. */
export interface AwsLiveSummary extends AwsExportSummary {
  /** Access keys listed by ListAccessKeys (with their ids), and how many matched a credential report slot. */
  accessKeys: number;
  accessKeysMatchedToReport: number;
  /** Null when the providers could not be listed. */
  oidcProviders: number | null;
  samlProviders: number | null;
  /** The account alias ListAccountAliases gave, or null. */
  accountAlias: string | null;
  credentialReport: { generatedAt: string | null; generationDenied: boolean } | null;
}

/** The normalized live read. */
export interface AwsLiveBuild {
  inventory: Inventory;
  errors: InputError[];
  summary: AwsLiveSummary;
}

/** The name errors give for an authorization-details page read live. */
export const authorizationPageName = (index: number): string =>
  `iam:GetAccountAuthorizationDetails page ${index + 1}`;

/** The name errors give for the credential report read live. */
export const CREDENTIAL_REPORT_NAME = 'iam:GetCredentialReport';

/**
 * Turns an IamReading into the model. The pages and the report go through exactly the export connector's path
 * (addAuthorizationDocument, decodeCredentialReportText, buildAwsInventory), so an account read live and the same
 * account's exports give the same identities, grants and edges. Then the API-only facts are joined: listed access keys
 * replace report slots (key ids, last used service and region), and trust edges learn about their identity providers.
 * Pure.
 */
export function buildLiveAwsInventory(reading: IamReading): AwsLiveBuild {
  const errors: InputError[] = [];
  const details = emptyAuthorizationDetails();
  reading.authorizationPages.forEach((page, index) => {
    const file = authorizationPageName(index);
    for (const message of addAuthorizationDocument(details, file, page)) errors.push({ file, message });
  });
  const reports: CredentialReportSource[] = [];
  if (reading.credentialReport) {
    const decoded = decodeCredentialReportText(reading.credentialReport.csv);
    if (decoded.ok) reports.push({ file: CREDENTIAL_REPORT_NAME, rows: decoded.rows });
    else errors.push({ file: CREDENTIAL_REPORT_NAME, message: decoded.message });
  }
  const built = buildAwsInventory(details, reports);
  const keys = joinListedAccessKeys(built.inventory, reading.accessKeys);
  const described = describeIdentityProviders(keys.inventory, reading.oidcProviders, reading.samlProviders);
  // The account itself, named by its alias: environment isolation reads `acme-prod` as production.
  const account = described.identities.find((identity) => identity.account)?.account ?? null;
  const inventory =
    account && reading.accountAlias
      ? {
          ...described,
          resources: [
            ...(described.resources ?? []),
            {
              id: `aws:account:${account}`,
              provider: 'aws',
              kind: 'account',
              name: reading.accountAlias,
              account,
              attributes: { alias: reading.accountAlias },
            },
          ],
        }
      : described;
  return {
    inventory,
    errors: [...errors, ...built.errors],
    summary: {
      ...built.summary,
      accessKeys: keys.listed,
      accessKeysMatchedToReport: keys.matchedToReport,
      oidcProviders: reading.oidcProviders?.length ?? null,
      samlProviders: reading.samlProviders?.length ?? null,
      accountAlias: reading.accountAlias,
      credentialReport: reading.credentialReport
        ? {
            generatedAt: reading.credentialReport.generatedAt,
            generationDenied: reading.credentialReport.generationDenied,
          }
        : null,
    },
  };
}
