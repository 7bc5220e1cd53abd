// Every recorded GitHub response of the demo organization, and every answer the test server makes up, is what the
// real API would return: each body validates against GitHub's OpenAPI description.
import { describe, expect, it } from 'vitest';
import { READ_ENDPOINTS } from '../../../src/connectors/github/endpoints.js';
import { validateResponse, specPathFor } from './openapi.js';
import { appInstallation, DEMO_ORG, loadDemoSnapshots } from './server.js';

const snapshots = [...loadDemoSnapshots().entries()];

describe('the demo organization recording', () => {
  it('holds a response for every endpoint the connector reads', () => {
    // Given the recording, When its URLs are matched to the connector's endpoints
    const recorded = new Set(snapshots.map(([url]) => `GET ${specPathFor('GET', url)}`));
    // Then every endpoint the connector declares is recorded at least once
    const routes = READ_ENDPOINTS.map((endpoint) => endpoint.route.replace('{owner}', '{owner}'));
    expect(routes.filter((route) => !recorded.has(route))).toEqual([]);
  });

  it.each(snapshots.map(([url, snapshot]) => [url, snapshot] as const))(
    '%s validates against the OpenAPI schema',
    (url, snapshot) => {
      // Given one recorded response, When its body is validated against the description of its route
      const errors = validateResponse(
        'GET',
        url,
        snapshot.response.status,
        JSON.parse(snapshot.response.body),
      );
      // Then it is valid
      expect(errors).toEqual([]);
    },
  );
});

describe('answers the test server makes up', () => {
  it('the App installation and the not-found error validate', () => {
    expect(validateResponse('GET', `/orgs/${DEMO_ORG}/installation`, 200, appInstallation())).toEqual([]);
    expect(
      validateResponse('GET', `/orgs/${DEMO_ORG}/audit-log`.replace('audit-log', 'hooks'), 404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404',
      }),
    ).toEqual([]);
    expect(
      validateResponse('POST', '/app/installations/52199999/access_tokens', 201, {
        token: 'ghs_' + 'T'.repeat(36),
        expires_at: '2036-10-30T13:00:00Z',
        permissions: { metadata: 'read', members: 'read' },
        repository_selection: 'all',
      }),
    ).toEqual([]);
  });
});

describe('the validator', () => {
  it('rejects a response that drifted from the description', () => {
    // Given a deploy key missing `read_only` and with a numeric title
    const key = {
      id: 1,
      key: 'ssh-ed25519 AAAA',
      url: 'https://x',
      title: 7,
      verified: true,
      created_at: 'x',
    };
    // When it is validated, Then the errors name the problems
    expect(validateResponse('GET', '/repos/a/b/keys', 200, [key]).join('\n')).toMatch(/read_only|title/);
  });
});
