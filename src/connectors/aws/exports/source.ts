// The AWS export files as a scan source: `--aws-authz` and `--aws-credential-report`.
import { defineSource, optionList } from '../../contract.js';
import { readAwsExports, type AwsExportInput, type AwsExportSummary } from './index.js';

function describe(summary: AwsExportSummary): string {
  return `${summary.users} users, ${summary.roles} roles, ${summary.groups} groups, ${summary.policies} policies, ${summary.credentialRows} credential report rows`;
}

/** AWS IAM from export files. */
export const awsExportsSource = defineSource<AwsExportInput>({
  id: 'aws-exports',
  summary: 'AWS IAM from export files (authorization details, credential report)',
  options: [
    {
      flags: '--aws-authz <file>',
      description: 'output of `aws iam get-account-authorization-details` (repeatable)',
      repeatable: true,
    },
    {
      flags: '--aws-credential-report <file>',
      description: 'IAM credential report: CSV, base64, or the CLI JSON (repeatable)',
      repeatable: true,
    },
  ],
  plan(values) {
    const input = {
      authzFiles: optionList(values, 'awsAuthz'),
      credentialReportFiles: optionList(values, 'awsCredentialReport'),
    };
    return input.authzFiles.length + input.credentialReportFiles.length > 0 ? input : null;
  },
  async collect(input, context) {
    context.progress({ phase: 'start', message: 'reading AWS IAM exports' });
    const exports = await readAwsExports(input);
    return [
      {
        name: 'aws-exports',
        inventory: exports.inventory,
        coverage: { aws: { ...exports.summary, errors: exports.errors } },
        errors: exports.errors,
        detail: describe(exports.summary),
      },
    ];
  },
});
