// Generates fixtures/demo/github/: Northwind Robotics' GitHub organization as a snapshot folder (what `agentaudit
// collect --github` writes: recorded REST responses and snapshot.json), replayed by `agentaudit scan --demo`. Deterministic.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const GITHUB_ORG = 'northwind-robotics';
const API = 'https://api.github.com';
const ORG = GITHUB_ORG;
const ORG_ID = 90210001;
// The key the connector gives a snapshot (SNAPSHOT_SCOPE in src/connectors/github/client.ts).
const SNAPSHOT_SCOPE = 'github-snapshot';

// ---------------------------------------------------------------- helpers
const sha = (text) => createHash('sha1').update(text).digest('hex');

/** The URL Octokit builds for `route` with `params`: path parameters encoded, the rest as a query in order. */
function octokitUrl(route, params = {}) {
  const rest = { ...params };
  const pathname = route.replace(/\{(\w+)\}/g, (_m, name) => {
    const value = rest[name];
    delete rest[name];
    return encodeURIComponent(String(value));
  });
  const query = Object.entries(rest)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return `${API}${pathname}${query ? `?${query}` : ''}`;
}

const snapshots = [];
/** One recorded response. `list` routes are read with `per_page=100` first, as the connector's reader asks. */
function respond(route, params, body, { list = false, status = 200, link = null } = {}) {
  const url = octokitUrl(route, list ? { per_page: 100, ...params } : params);
  const text = JSON.stringify(body);
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    etag: `W/"${sha(url + text)}"`,
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4900',
  };
  if (link) headers.link = link;
  snapshots.push({ request: { method: 'GET', url }, response: { status, headers, body: text } });
  return url;
}

/** A list answered over several pages, linked as GitHub links them (`page=2`, …). */
function respondPaged(route, params, pages) {
  const first = octokitUrl(route, { per_page: 100, ...params });
  pages.forEach((items, index) => {
    const url = index === 0 ? first : `${first}&page=${index + 1}`;
    const links = [];
    if (index + 1 < pages.length) links.push(`<${first}&page=${index + 2}>; rel="next"`);
    links.push(`<${first}&page=${pages.length}>; rel="last"`);
    const text = JSON.stringify(items);
    snapshots.push({
      request: { method: 'GET', url },
      response: {
        status: 200,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          etag: `W/"${sha(url + text)}"`,
          link: links.join(', '),
        },
        body: text,
      },
    });
  });
}

function user(login, id, type = 'User') {
  return {
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: `${API}/users/${login}`,
    html_url: `https://github.com/${login}`,
    followers_url: `${API}/users/${login}/followers`,
    following_url: `${API}/users/${login}/following{/other_user}`,
    gists_url: `${API}/users/${login}/gists{/gist_id}`,
    starred_url: `${API}/users/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `${API}/users/${login}/subscriptions`,
    organizations_url: `${API}/users/${login}/orgs`,
    repos_url: `${API}/users/${login}/repos`,
    events_url: `${API}/users/${login}/events{/privacy}`,
    received_events_url: `${API}/users/${login}/received_events`,
    type,
    site_admin: false,
    user_view_type: 'public',
  };
}

const orgAccount = { ...user(ORG, ORG_ID, 'Organization') };

function repository(name, id, extra = {}) {
  const full = `${ORG}/${name}`;
  const url = `${API}/repos/${full}`;
  return {
    id,
    node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
    name,
    full_name: full,
    private: extra.private ?? true,
    owner: orgAccount,
    html_url: `https://github.com/${full}`,
    description: extra.description ?? null,
    fork: false,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://github.com/${full}.git`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@github.com:${full}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `https://github.com/${full}.git`,
    hooks_url: `${url}/hooks`,
    homepage: null,
    language: extra.language ?? null,
    default_branch: 'main',
    visibility: extra.private === false ? 'public' : 'private',
    archived: false,
    disabled: false,
    pushed_at: extra.pushedAt ?? '2026-10-29T17:02:11Z',
    created_at: extra.createdAt ?? '2023-05-02T10:30:00Z',
    updated_at: extra.pushedAt ?? '2026-10-29T17:02:11Z',
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
  };
}

/** An OpenSSH ed25519 public key line from a seed: a syntactically real key that no one holds the private half of. */
function sshPublicKey(seed) {
  const string = (buffer) => Buffer.concat([Buffer.from([0, 0, 0, buffer.length]), buffer]);
  const blob = Buffer.concat([
    string(Buffer.from('ssh-ed25519')),
    string(createHash('sha256').update(seed).digest()),
  ]);
  return { line: `ssh-ed25519 ${blob.toString('base64')}`, blob };
}
const sshFingerprint = (blob) =>
  `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

const ms = (iso) => Date.parse(iso);

// ---------------------------------------------------------------- people
const PEOPLE = {
  maria: user('maria-gonzalez', 51000101),
  ana: user('ana-silva', 51000102),
  priya: user('priya-natarajan', 51000103),
  kenji: user('kenji-watanabe', 51000104),
  releaseBot: user('nwr-release-bot', 51000105),
  // Left the company in August: no longer a member, but still the owner of a PAT and a deploy key.
  tom: user('tom-becker', 51000106),
  jlee: user('jlee-contractor', 51000201),
  acme: user('acme-firmware-partner', 51000202),
};

// ---------------------------------------------------------------- repositories and workflows
const REPOS = {
  infrastructure: repository('infrastructure', 61000001, {
    description: 'Terraform for the AWS estate',
    language: 'HCL',
  }),
  website: repository('website', 61000002, {
    description: 'northwind.example',
    language: 'TypeScript',
    private: false,
  }),
  firmware: repository('firmware', 61000003, { description: 'Robot firmware', language: 'C' }),
  'fleet-api': repository('fleet-api', 61000004, {
    description: 'Fleet telemetry API',
    language: 'TypeScript',
  }),
};

const WORKFLOWS = {
  infrastructure: {
    'terraform.yml': `name: terraform
on:
  push:
    branches: [main]
permissions:
  contents: read
  id-token: write
  # kept from an experiment with plan comments on pull requests
  pull-requests: write
jobs:
  apply:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::210987654321:role/ci/terraform-ci
          aws-region: us-east-1
      - uses: hashicorp/setup-terraform@v3
      - run: terraform init -input=false && terraform apply -input=false -auto-approve
`,
  },
  website: {
    'deploy.yml': `name: deploy website
on:
  push:
    branches: [main]
  pull_request:
# OIDC needs id-token: write; write-all was the quick way to get it.
permissions: write-all
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci && npm run build
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::210987654321:role/ci/website-deploy
          aws-region: us-east-1
      - run: aws s3 sync dist/ s3://northwind-website --delete
`,
  },
  firmware: {
    'ci.yml': `name: firmware ci
on: [push, pull_request]
jobs:
  build:
    runs-on: [self-hosted, gpu]
    steps:
      - uses: actions/checkout@v4
      - run: make firmware
      - uses: actions/upload-artifact@v4
        with:
          name: firmware
          path: build/
`,
  },
  'fleet-api': {
    'pr-preview.yml': `name: pull request preview
on:
  pull_request_target:
    types: [opened, synchronize]
permissions:
  contents: read
  pull-requests: write
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm run build:preview
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
      - run: gh pr comment \${{ github.event.pull_request.number }} --body "Preview built"
        env:
          GH_TOKEN: \${{ github.token }}
`,
    'release.yml': `name: release
on:
  push:
    tags: ['v*']
permissions: write-all
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm run build && npm pack
      - uses: softprops/action-gh-release@v2
        with:
          files: '*.tgz'
`,
  },
};

function contentEntry(repo, filePath, text) {
  const url = `${API}/repos/${ORG}/${repo}/contents/${filePath}`;
  const blob = sha(`blob ${Buffer.byteLength(text)}\0${text}`);
  return {
    type: 'file',
    size: Buffer.byteLength(text),
    name: path.posix.basename(filePath),
    path: filePath,
    sha: blob,
    url: `${url}?ref=main`,
    git_url: `${API}/repos/${ORG}/${repo}/git/blobs/${blob}`,
    html_url: `https://github.com/${ORG}/${repo}/blob/main/${filePath}`,
    download_url: `https://raw.githubusercontent.com/${ORG}/${repo}/main/${filePath}`,
    _links: {
      self: `${url}?ref=main`,
      git: `${API}/repos/${ORG}/${repo}/git/blobs/${blob}`,
      html: `https://github.com/${ORG}/${repo}/blob/main/${filePath}`,
    },
  };
}

// ---------------------------------------------------------------- deploy keys, secrets, hooks
const KEYS = {
  argo: sshPublicKey('northwind argo-cd'),
  staging: sshPublicKey('northwind staging server'),
  buildFarm: sshPublicKey('northwind build farm'),
};
function deployKey(repo, id, title, key, { readOnly, addedBy, createdAt, lastUsed }) {
  return {
    id,
    key: key.line,
    url: `${API}/repos/${ORG}/${repo}/keys/${id}`,
    title,
    verified: true,
    created_at: createdAt,
    read_only: readOnly,
    added_by: addedBy,
    last_used: lastUsed,
    enabled: true,
  };
}
const DEPLOY_KEYS = {
  infrastructure: [
    deployKey('infrastructure', 71000001, 'argo-cd', KEYS.argo, {
      readOnly: true,
      addedBy: 'ana-silva',
      createdAt: '2026-02-10T09:12:00Z',
      lastUsed: '2026-10-30T11:40:00Z',
    }),
  ],
  website: [
    deployKey('website', 71000002, 'old-staging-server', KEYS.staging, {
      readOnly: true,
      addedBy: 'priya-natarajan',
      createdAt: '2023-05-05T14:00:00Z',
      lastUsed: '2025-11-02T08:15:00Z',
    }),
  ],
  firmware: [
    deployKey('firmware', 71000003, 'build-farm', KEYS.buildFarm, {
      readOnly: false,
      addedBy: 'tom-becker',
      createdAt: '2022-03-01T10:00:00Z',
      lastUsed: '2026-10-29T22:05:00Z',
    }),
  ],
  'fleet-api': [],
};

const secret = (name, createdAt, updatedAt) => ({ name, created_at: createdAt, updated_at: updatedAt });
const REPO_SECRETS = {
  infrastructure: [],
  website: [secret('CLOUDFLARE_API_TOKEN', '2024-11-04T10:00:00Z', '2025-01-20T16:45:00Z')],
  firmware: [secret('SIGNING_KEY_PASSPHRASE', '2022-03-01T10:05:00Z', '2026-09-12T08:00:00Z')],
  'fleet-api': [secret('SENTRY_AUTH_TOKEN', '2026-08-15T13:20:00Z', '2026-08-15T13:20:00Z')],
};
const ENVIRONMENTS = {
  infrastructure: [
    {
      id: 81000001,
      node_id: 'EN_kwDOBpaA8s4AAQ',
      name: 'production',
      url: `${API}/repos/${ORG}/infrastructure/environments/production`,
      html_url: `https://github.com/${ORG}/infrastructure/deployments/activity_log?environments_filter=production`,
      created_at: '2024-03-18T09:00:00Z',
      updated_at: '2026-07-01T11:00:00Z',
      protection_rules: [],
      deployment_branch_policy: null,
      secrets: [secret('TF_API_TOKEN', '2024-03-18T09:05:00Z', '2026-07-01T11:00:00Z')],
    },
  ],
  website: [],
  firmware: [],
  'fleet-api': [],
};
const WORKFLOW_DEFAULTS = { infrastructure: 'read', website: 'read', firmware: 'write', 'fleet-api': 'read' };

function repoHook(repo, id, url, { secretSet, createdAt }) {
  const base = `${API}/repos/${ORG}/${repo}/hooks/${id}`;
  return {
    type: 'Repository',
    id,
    name: 'web',
    active: true,
    events: ['push', 'pull_request'],
    config: {
      content_type: 'json',
      insecure_ssl: '0',
      url,
      ...(secretSet ? { secret: '********' } : {}),
    },
    updated_at: createdAt,
    created_at: createdAt,
    url: base,
    test_url: `${base}/test`,
    ping_url: `${base}/pings`,
    deliveries_url: `${base}/deliveries`,
    last_response: { code: 200, status: 'active', message: 'OK' },
  };
}
const REPO_HOOKS = {
  infrastructure: [],
  website: [],
  firmware: [
    repoHook('firmware', 91000002, 'https://ci.northwind.example/github/webhook', {
      secretSet: true,
      createdAt: '2024-02-12T09:30:00Z',
    }),
  ],
  'fleet-api': [],
};
const collaborator = (person, role) => ({
  ...person,
  role_name: role,
  permissions: {
    admin: role === 'admin',
    maintain: role === 'admin' || role === 'maintain',
    push: role !== 'read' && role !== 'triage',
    triage: role !== 'read',
    pull: true,
  },
});
const OUTSIDE = {
  infrastructure: [],
  website: [collaborator(PEOPLE.jlee, 'admin')],
  firmware: [collaborator(PEOPLE.acme, 'write')],
  'fleet-api': [],
};

// ---------------------------------------------------------------- Apps and tokens
function installation(id, appId, slug, { selection, permissions, events, createdAt, suspendedAt = null }) {
  return {
    id,
    client_id: `Iv23li${sha(slug).slice(0, 14)}`,
    account: orgAccount,
    repository_selection: selection,
    access_tokens_url: `${API}/app/installations/${id}/access_tokens`,
    repositories_url: `${API}/installation/repositories`,
    html_url: `https://github.com/organizations/${ORG}/settings/installations/${id}`,
    app_id: appId,
    app_slug: slug,
    target_id: ORG_ID,
    target_type: 'Organization',
    permissions,
    events,
    created_at: createdAt,
    updated_at: createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: suspendedAt ? PEOPLE.maria : null,
    suspended_at: suspendedAt,
  };
}
const INSTALLATIONS = [
  installation(52100001, 1236702, 'claude', {
    selection: 'all',
    permissions: {
      actions: 'read',
      contents: 'write',
      issues: 'write',
      metadata: 'read',
      pull_requests: 'write',
      workflows: 'write',
    },
    events: ['issue_comment', 'issues', 'pull_request', 'pull_request_review_comment'],
    createdAt: '2026-08-20T14:02:00Z',
  }),
  installation(52100002, 2740, 'renovate', {
    selection: 'selected',
    permissions: {
      checks: 'write',
      contents: 'write',
      issues: 'write',
      metadata: 'read',
      pull_requests: 'write',
      workflows: 'write',
    },
    events: ['issues', 'pull_request', 'push'],
    createdAt: '2024-01-15T10:00:00Z',
  }),
  // An issue-triage agent that only reads: it labels nothing itself, a person acts on its summaries.
  installation(52100004, 1404021, 'issue-triage-agent', {
    selection: 'all',
    permissions: { contents: 'read', issues: 'read', metadata: 'read', pull_requests: 'read' },
    events: ['issue_comment', 'issues'],
    createdAt: '2026-09-14T09:30:00Z',
  }),
  installation(52100003, 377001, 'nwr-legacy-ci', {
    selection: 'selected',
    permissions: { checks: 'write', contents: 'read', metadata: 'read', statuses: 'write' },
    events: ['push'],
    createdAt: '2021-09-01T08:00:00Z',
    suspendedAt: '2025-12-01T09:00:00Z',
  }),
];

function patGrant(id, tokenId, owner, name, { selection, permissions, grantedAt, expiresAt, lastUsedAt }) {
  return {
    id,
    owner,
    repository_selection: selection,
    repositories_url: `${API}/organizations/${ORG_ID}/personal-access-tokens/${id}/repositories`,
    permissions,
    access_granted_at: grantedAt,
    token_id: tokenId,
    token_name: name,
    token_expired: false,
    token_expires_at: expiresAt,
    token_last_used_at: lastUsedAt,
  };
}
const PAT_GRANTS = [
  patGrant(25381001, 98716001, PEOPLE.maria, 'release-automation', {
    selection: 'subset',
    permissions: {
      repository: {
        actions: 'write',
        contents: 'write',
        issues: 'write',
        metadata: 'read',
        pull_requests: 'write',
      },
    },
    grantedAt: '2026-09-20T09:00:00.000Z',
    expiresAt: '2026-12-15T09:00:00.000Z',
    lastUsedAt: '2026-10-30T09:41:00.000Z',
  }),
  patGrant(25381002, 98716002, PEOPLE.tom, 'data-export-script', {
    selection: 'all',
    permissions: { organization: { members: 'read' }, repository: { contents: 'read', metadata: 'read' } },
    grantedAt: '2025-06-03T15:30:00.000Z',
    expiresAt: null,
    lastUsedAt: '2026-10-28T03:00:00.000Z',
  }),
  patGrant(25381003, 98716003, PEOPLE.priya, 'repo-migration-2025', {
    selection: 'all',
    permissions: { repository: { administration: 'write', contents: 'write', metadata: 'read' } },
    grantedAt: '2025-09-01T12:00:00.000Z',
    expiresAt: '2027-09-01T12:00:00.000Z',
    lastUsedAt: '2026-04-02T10:10:00.000Z',
  }),
];
const PAT_REQUESTS = [
  {
    id: 25382001,
    reason: 'Claude Code on my laptop opens pull requests for the data team',
    owner: PEOPLE.ana,
    repository_selection: 'all',
    repositories_url: `${API}/organizations/${ORG_ID}/personal-access-token-requests/25382001/repositories`,
    permissions: { repository: { contents: 'write', metadata: 'read', pull_requests: 'write' } },
    created_at: '2026-10-28T16:00:00.000Z',
    token_id: 98716004,
    token_name: 'claude-code-agent',
    token_expired: false,
    token_expires_at: null,
    token_last_used_at: null,
  },
];
const SAML_AUTHORIZATIONS = [
  {
    login: 'maria-gonzalez',
    credential_id: 161195001,
    credential_type: 'personal access token',
    token_last_eight: 'a41fe0b7',
    credential_authorized_at: '2024-04-11T08:00:00Z',
    credential_accessed_at: '2026-10-29T18:22:00Z',
    authorized_credential_id: 12345001,
    authorized_credential_note: 'terraform-local',
    authorized_credential_expires_at: null,
    scopes: ['admin:org', 'repo', 'workflow'],
  },
  {
    login: 'ana-silva',
    credential_id: 161195002,
    credential_type: 'personal access token',
    token_last_eight: '7c2d91aa',
    credential_authorized_at: '2026-05-02T10:00:00Z',
    credential_accessed_at: '2026-10-30T08:12:00Z',
    authorized_credential_id: 12345002,
    authorized_credential_note: 'gh-cli',
    authorized_credential_expires_at: '2026-11-30T10:00:00Z',
    scopes: ['read:org'],
  },
  {
    login: 'priya-natarajan',
    credential_id: 161195003,
    credential_type: 'SSH key',
    credential_authorized_at: '2025-01-07T09:00:00Z',
    credential_accessed_at: '2026-10-30T07:55:00Z',
    authorized_credential_id: 12345003,
    fingerprint: 'SHA256:pRiYaN4taRaJaNLaPt0pK3yF1ng3rPr1nt0000000',
    authorized_credential_title: 'priya laptop',
  },
];

// ---------------------------------------------------------------- organization settings
const ORG_SECRETS = [
  { ...secret('NPM_TOKEN', '2023-02-01T10:00:00Z', '2024-01-10T12:00:00Z'), visibility: 'all' },
  {
    ...secret('SLACK_WEBHOOK_URL', '2025-04-01T10:00:00Z', '2026-09-01T15:00:00Z'),
    visibility: 'selected',
    selected_repositories_url: `${API}/orgs/${ORG}/actions/secrets/SLACK_WEBHOOK_URL/repositories`,
  },
];
const ORG_HOOKS = [
  {
    id: 91000001,
    url: `${API}/orgs/${ORG}/hooks/91000001`,
    ping_url: `${API}/orgs/${ORG}/hooks/91000001/pings`,
    deliveries_url: `${API}/orgs/${ORG}/hooks/91000001/deliveries`,
    name: 'web',
    events: ['push', 'repository'],
    active: true,
    // The chat service's incoming-webhook URL; no signing secret.
    config: {
      url: 'https://hooks.chat.example/services/T0NWR/B0DEPLOY/x',
      content_type: 'json',
      insecure_ssl: '0',
    },
    updated_at: '2026-09-05T10:00:00Z',
    created_at: '2026-09-05T10:00:00Z',
    type: 'Organization',
  },
];
const RUNNER_GROUPS = [
  {
    id: 1,
    name: 'Default',
    visibility: 'all',
    default: true,
    runners_url: `${API}/orgs/${ORG}/actions/runner-groups/1/runners`,
    inherited: false,
    allows_public_repositories: false,
    restricted_to_workflows: false,
    selected_workflows: [],
    workflow_restrictions_read_only: false,
  },
  {
    id: 2,
    name: 'gpu-runners',
    visibility: 'selected',
    default: false,
    selected_repositories_url: `${API}/orgs/${ORG}/actions/runner-groups/2/repositories`,
    runners_url: `${API}/orgs/${ORG}/actions/runner-groups/2/runners`,
    inherited: false,
    allows_public_repositories: false,
    restricted_to_workflows: false,
    selected_workflows: [],
    workflow_restrictions_read_only: false,
  },
];

// ---------------------------------------------------------------- usage: audit log and API Insights
let documentId = 0;
const event = (at, fields) => ({
  '@timestamp': ms(at),
  created_at: ms(at),
  _document_id: `nwr-${String((documentId += 1)).padStart(6, '0')}`,
  org: ORG,
  org_id: ORG_ID,
  ...fields,
});
const AUDIT_LOG = [
  event('2026-10-30T11:40:00Z', {
    action: 'git.clone',
    actor: 'argo-cd',
    repo: `${ORG}/infrastructure`,
    repository: `${ORG}/infrastructure`,
    deploy_key_fingerprint: sshFingerprint(KEYS.argo.blob),
    programmatic_access_type: 'Deploy key',
    transport_protocol_name: 'ssh',
  }),
  event('2026-10-29T22:05:00Z', {
    action: 'git.push',
    actor: 'build-farm',
    repo: `${ORG}/firmware`,
    repository: `${ORG}/firmware`,
    deploy_key_fingerprint: sshFingerprint(KEYS.buildFarm.blob),
    programmatic_access_type: 'Deploy key',
    transport_protocol_name: 'ssh',
  }),
  event('2026-10-29T18:22:00Z', {
    action: 'git.push',
    actor: 'maria-gonzalez',
    repo: `${ORG}/infrastructure`,
    repository: `${ORG}/infrastructure`,
    programmatic_access_type: 'Personal access token (classic)',
    transport_protocol_name: 'http',
  }),
  event('2026-10-29T14:12:00Z', {
    action: 'git.fetch',
    actor: 'claude[bot]',
    repo: `${ORG}/website`,
    repository: `${ORG}/website`,
    programmatic_access_type: 'GitHub App server-to-server token',
    transport_protocol_name: 'http',
  }),
  event('2026-10-28T16:00:00Z', { action: 'personal_access_token.request_created', actor: 'ana-silva' }),
  event('2026-09-05T10:00:00Z', { action: 'hook.create', actor: 'kenji-watanabe', hook_id: 91000001 }),
  event('2026-09-01T15:00:00Z', {
    action: 'org.update_actions_secret',
    actor: 'kenji-watanabe',
    name: 'SLACK_WEBHOOK_URL',
  }),
  event('2026-09-14T09:30:00Z', {
    action: 'integration_installation.create',
    actor: 'kenji-watanabe',
    name: 'issue-triage-agent',
  }),
  event('2026-08-20T14:02:00Z', {
    action: 'integration_installation.create',
    actor: 'ana-silva',
    name: 'claude',
  }),
  event('2026-08-15T13:20:00Z', {
    action: 'repo.create_actions_secret',
    actor: 'priya-natarajan',
    name: 'SENTRY_AUTH_TOKEN',
    repo: `${ORG}/fleet-api`,
  }),
];

const route = (method, apiRoute, count, last) => ({
  http_method: method,
  api_route: apiRoute,
  total_request_count: count,
  rate_limited_request_count: 0,
  last_request_timestamp: last,
  last_rate_limited_timestamp: null,
});
const ROUTE_STATS = {
  installation: {
    // claude: reads and writes code and pull requests, reads issues; never touches workflows or Actions.
    52100001: [
      route('GET', '/repos/:owner/:repo/contents/:path', 1840, '2026-10-30T11:02:00Z'),
      route('POST', '/repos/:owner/:repo/git/trees', 96, '2026-10-30T10:58:00Z'),
      route('POST', '/repos/:owner/:repo/git/commits', 96, '2026-10-30T10:58:01Z'),
      route('POST', '/repos/:owner/:repo/pulls', 31, '2026-10-30T10:58:03Z'),
      route('PATCH', '/repos/:owner/:repo/pulls/:pull_number', 12, '2026-10-29T16:40:00Z'),
      route('GET', '/repos/:owner/:repo/issues/:issue_number', 210, '2026-10-30T10:40:00Z'),
      route('GET', '/repositories/:repository_id', 640, '2026-10-30T11:02:30Z'),
      route('POST', '/graphql', 55, '2026-10-30T10:59:00Z'),
    ],
    // renovate: uses everything it holds.
    52100002: [
      route('GET', '/repos/:owner/:repo/contents/:path', 5210, '2026-10-30T06:00:00Z'),
      route('PUT', '/repos/:owner/:repo/contents/:path', 44, '2026-10-29T06:01:00Z'),
      route('POST', '/repos/:owner/:repo/pulls', 44, '2026-10-29T06:01:10Z'),
      route('POST', '/repos/:owner/:repo/issues', 2, '2026-10-12T06:00:00Z'),
      route('POST', '/repos/:owner/:repo/check-runs', 44, '2026-10-29T06:01:20Z'),
      route('GET', '/repos/:owner/:repo', 880, '2026-10-30T06:00:05Z'),
    ],
    // issue-triage-agent: reads issues, comments and pull requests to summarise them.
    52100004: [
      route('GET', '/repos/:owner/:repo/issues', 388, '2026-10-30T11:20:00Z'),
      route('GET', '/repos/:owner/:repo/issues/:issue_number/comments', 1204, '2026-10-30T11:20:05Z'),
      route('GET', '/repos/:owner/:repo/pulls/:pull_number', 97, '2026-10-30T10:12:00Z'),
      route('GET', '/repos/:owner/:repo', 412, '2026-10-30T11:19:58Z'),
    ],
    // suspended since December: nothing.
    52100003: [],
  },
  fine_grained_pat: {
    98716001: [
      route('POST', '/repos/:owner/:repo/releases', 9, '2026-10-30T09:41:00Z'),
      route('GET', '/repos/:owner/:repo/pulls', 64, '2026-10-30T09:40:00Z'),
      route('GET', '/repos/:owner/:repo', 73, '2026-10-30T09:40:30Z'),
    ],
    98716002: [
      route('GET', '/orgs/:org/repos', 90, '2026-10-28T03:00:00Z'),
      route('GET', '/repos/:owner/:repo/contents/:path', 1170, '2026-10-28T03:05:00Z'),
    ],
    98716003: [],
  },
};

// ---------------------------------------------------------------- the recording
/**
 * Writes every response of the organization into `<outDir>/api.github.com/<key>.json`, and `<outDir>/snapshot.json`,
 * the manifest `scan --from` (and `scan --demo`) plans the GitHub source from (SNAPSHOT_MANIFEST in
 * src/scan/snapshot.ts), judged as of `window.until`.
 */
export function writeGithubDemo(outDir, window) {
  snapshots.length = 0;
  respond(
    '/orgs/{org}',
    { org: ORG },
    {
      login: ORG,
      id: ORG_ID,
      node_id: 'O_kgDOBWJnZQ',
      url: `${API}/orgs/${ORG}`,
      repos_url: `${API}/orgs/${ORG}/repos`,
      events_url: `${API}/orgs/${ORG}/events`,
      hooks_url: `${API}/orgs/${ORG}/hooks`,
      issues_url: `${API}/orgs/${ORG}/issues`,
      members_url: `${API}/orgs/${ORG}/members{/member}`,
      public_members_url: `${API}/orgs/${ORG}/public_members{/member}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${ORG_ID}?v=4`,
      description: 'Autonomous warehouse robots',
      name: 'Northwind Robotics',
      blog: 'https://northwind.example',
      is_verified: true,
      has_organization_projects: true,
      has_repository_projects: true,
      public_repos: 1,
      public_gists: 0,
      followers: 12,
      following: 0,
      html_url: `https://github.com/${ORG}`,
      type: 'Organization',
      total_private_repos: 3,
      owned_private_repos: 3,
      plan: { name: 'enterprise', space: 976562499, private_repos: 999999, filled_seats: 5, seats: 25 },
      default_repository_permission: 'read',
      two_factor_requirement_enabled: true,
      created_at: '2023-05-02T09:00:00Z',
      updated_at: '2026-10-01T09:00:00Z',
      archived_at: null,
    },
  );
  respondPaged('/orgs/{org}/members', { org: ORG }, [
    [PEOPLE.maria, PEOPLE.ana, PEOPLE.priya],
    [PEOPLE.kenji, PEOPLE.releaseBot],
  ]);
  respond('/orgs/{org}/outside_collaborators', { org: ORG }, [PEOPLE.jlee, PEOPLE.acme], { list: true });
  respond(
    '/orgs/{org}/installations',
    { org: ORG },
    { total_count: INSTALLATIONS.length, installations: INSTALLATIONS },
    { list: true },
  );
  respond('/orgs/{org}/personal-access-tokens', { org: ORG }, PAT_GRANTS, { list: true });
  respond('/orgs/{org}/personal-access-token-requests', { org: ORG }, PAT_REQUESTS, { list: true });
  respond('/orgs/{org}/credential-authorizations', { org: ORG }, SAML_AUTHORIZATIONS, { list: true });
  respond(
    '/orgs/{org}/actions/secrets',
    { org: ORG },
    { total_count: ORG_SECRETS.length, secrets: ORG_SECRETS },
    { list: true },
  );
  respond(
    '/orgs/{org}/actions/secrets/{secret_name}/repositories',
    { org: ORG, secret_name: 'SLACK_WEBHOOK_URL' },
    { total_count: 2, repositories: [REPOS.website, REPOS['fleet-api']] },
    { list: true },
  );
  respond(
    '/orgs/{org}/actions/permissions/workflow',
    { org: ORG },
    {
      default_workflow_permissions: 'read',
      can_approve_pull_request_reviews: false,
    },
  );
  respond(
    '/orgs/{org}/actions/oidc/customization/sub',
    { org: ORG },
    { include_claim_keys: ['repo', 'context'] },
  );
  respond(
    '/orgs/{org}/actions/runner-groups',
    { org: ORG },
    { total_count: RUNNER_GROUPS.length, runner_groups: RUNNER_GROUPS },
    { list: true },
  );
  respond('/orgs/{org}/hooks', { org: ORG }, ORG_HOOKS, { list: true });
  respond('/orgs/{org}/repos', { org: ORG, type: 'all' }, Object.values(REPOS), { list: true });

  for (const [name] of Object.entries(REPOS)) {
    const at = { owner: ORG, repo: name };
    respond('/repos/{owner}/{repo}/keys', at, DEPLOY_KEYS[name], { list: true });
    respond(
      '/repos/{owner}/{repo}/actions/secrets',
      at,
      { total_count: REPO_SECRETS[name].length, secrets: REPO_SECRETS[name] },
      { list: true },
    );
    const environments = ENVIRONMENTS[name];
    respond(
      '/repos/{owner}/{repo}/environments',
      at,
      {
        total_count: environments.length,
        environments: environments.map(({ secrets: _s, ...environment }) => environment),
      },
      { list: true },
    );
    for (const environment of environments) {
      respond(
        '/repos/{owner}/{repo}/environments/{environment_name}/secrets',
        { ...at, environment_name: environment.name },
        { total_count: environment.secrets.length, secrets: environment.secrets },
        { list: true },
      );
    }
    respond('/repos/{owner}/{repo}/actions/permissions/workflow', at, {
      default_workflow_permissions: WORKFLOW_DEFAULTS[name],
      can_approve_pull_request_reviews: false,
    });
    respond('/repos/{owner}/{repo}/actions/oidc/customization/sub', at, { use_default: true });
    respond('/repos/{owner}/{repo}/hooks', at, REPO_HOOKS[name], { list: true });
    respond('/repos/{owner}/{repo}/collaborators', { ...at, affiliation: 'outside' }, OUTSIDE[name], {
      list: true,
    });
    const files = Object.entries(WORKFLOWS[name] ?? {});
    const listing = files.map(([file, text]) => {
      const { content: _c, encoding: _e, ...entry } = contentEntry(name, `.github/workflows/${file}`, text);
      return entry;
    });
    respond('/repos/{owner}/{repo}/contents/{path}', { ...at, path: '.github/workflows' }, listing);
    for (const [file, text] of files) {
      const filePath = `.github/workflows/${file}`;
      respond(
        '/repos/{owner}/{repo}/contents/{path}',
        { ...at, path: filePath },
        {
          ...contentEntry(name, filePath, text),
          content: `${Buffer.from(text)
            .toString('base64')
            .replace(/(.{60})/g, '$1\n')}\n`,
          encoding: 'base64',
        },
      );
    }
  }

  respond(
    '/orgs/{org}/audit-log',
    {
      org: ORG,
      phrase: `created:${window.since.slice(0, 10)}..${window.until.slice(0, 10)}`,
      include: 'all',
      order: 'desc',
    },
    AUDIT_LOG,
    { list: true },
  );
  const until = new Date(`${window.until.slice(0, 10)}T00:00:00Z`);
  until.setUTCDate(until.getUTCDate() + 1);
  const range = {
    min_timestamp: `${window.since.slice(0, 10)}T00:00:00Z`,
    max_timestamp: until.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  for (const [actorType, byActor] of Object.entries(ROUTE_STATS)) {
    for (const [actorId, rows] of Object.entries(byActor)) {
      respond(
        '/orgs/{org}/insights/api/route-stats/{actor_type}/{actor_id}',
        { org: ORG, actor_type: actorType, actor_id: actorId, ...range },
        rows,
        { list: true },
      );
    }
  }

  const dir = path.join(outDir, 'api.github.com');
  fs.mkdirSync(dir, { recursive: true });
  for (const snapshot of snapshots) {
    const key = createHash('sha256')
      .update(`${SNAPSHOT_SCOPE}\nGET ${snapshot.request.url}\n`)
      .digest('hex')
      .slice(0, 32);
    fs.writeFileSync(path.join(dir, `${key}.json`), `${JSON.stringify(snapshot, null, 2)}\n`);
  }
  const manifest = {
    format: 'agentaudit-snapshot',
    version: 1,
    tool: 'scripts/demo-github.js',
    createdAt: window.until,
    asOf: window.until,
    window: { since: window.since, until: window.until },
    sources: [
      {
        id: 'github',
        values: { github: [ORG] },
        env: {},
        results: [
          {
            name: `github:${ORG}`,
            status: 'ok',
            detail: `the demo organization, ${snapshots.length} responses generated by scripts/demo-github.js`,
          },
        ],
      },
    ],
  };
  fs.writeFileSync(path.join(outDir, 'snapshot.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return snapshots.length;
}
