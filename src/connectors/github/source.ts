// GitHub organizations as a scan source: `--github ORG` (repeatable), with a token or a GitHub App, live or from a snapshot.
import path from 'node:path';
import { UserError } from '../../errors/errors.js';
import { defineSource, optionList, optionString } from '../contract.js';
import { DEFAULT_GITHUB_API_URL, resolveGithubAuth, type GithubConnection } from './client.js';
import { collectGithubOrg } from './collectOrg.js';

/** What `plan` hands `collect`: the organizations and how to reach them. */
export interface GithubSourceOptions {
  orgs: string[];
  connection: GithubConnection;
}

const ORG_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** GitHub: App installations, fine-grained and classic PATs, deploy keys, Actions secrets, workflows, webhooks. */
export const githubSource = defineSource<GithubSourceOptions>({
  id: 'github',
  summary: 'GitHub organizations: Apps, PATs, deploy keys, secrets, workflows, webhooks, and their usage',
  options: [
    {
      flags: '--github <org>',
      description: 'audit this GitHub organization (repeatable); token from GITHUB_TOKEN or GH_TOKEN',
      repeatable: true,
    },
    {
      flags: '--github-api-url <url>',
      description: 'GitHub REST API root (GitHub Enterprise Server: https://HOST/api/v3)',
      env: 'GITHUB_API_URL',
    },
    {
      flags: '--github-app-id <id>',
      description: 'authenticate as this GitHub App (needs --github-private-key)',
    },
    { flags: '--github-private-key <file>', description: "the GitHub App's private key (PEM file)" },
    {
      flags: '--github-installation-id <id>',
      description: "the App's installation on the organization (default: found from the organization)",
    },
    {
      flags: '--github-snapshot <dir>',
      description: 'replay GitHub responses recorded with --github-record, without network or credentials',
    },
    { flags: '--github-record <dir>', description: 'record every GitHub response (masked) into this folder' },
  ],
  plan(values, env) {
    const orgs = optionList(values, 'github');
    if (orgs.length === 0) return null;
    for (const org of orgs) {
      if (!ORG_NAME.test(org)) {
        throw new UserError(
          `--github "${org}" is not a GitHub organization name`,
          'pass the organization login as in https://github.com/ORG',
        );
      }
    }
    const apiUrl = optionString(values, 'githubApiUrl') ?? env.GITHUB_API_URL ?? DEFAULT_GITHUB_API_URL;
    try {
      const url = new URL(apiUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    } catch {
      throw new UserError(
        `--github-api-url "${apiUrl}" is not an http(s) URL`,
        'pass https://api.github.com or, for GitHub Enterprise Server, https://HOST/api/v3',
      );
    }
    const replayDir = optionString(values, 'githubSnapshot');
    const recordDir = optionString(values, 'githubRecord');
    if (replayDir && recordDir) {
      throw new UserError('--github-snapshot replays and --github-record records: pass one of them');
    }
    const auth = replayDir
      ? ({ kind: 'none' } as const)
      : resolveGithubAuth({
          appId: optionString(values, 'githubAppId'),
          privateKeyFile: optionString(values, 'githubPrivateKey'),
          installationId: optionString(values, 'githubInstallationId'),
          env,
        });
    return {
      orgs: [...new Set(orgs)],
      connection: {
        apiUrl,
        auth,
        ...(replayDir ? { replayDir: path.resolve(replayDir) } : {}),
        ...(recordDir ? { recordDir: path.resolve(recordDir) } : {}),
      },
    };
  },
  async collect(options, context) {
    const results = [];
    // One organization after another: they share the token's rate limit.
    for (const org of options.orgs) results.push(await collectGithubOrg(org, options.connection, context));
    return results;
  },
});
