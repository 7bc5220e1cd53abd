// Secrets never reach a report: the redaction shapes, and every format fed a finding that carries secrets.
import { describe, expect, it } from 'vitest';
import { RENDERERS, REPORT_FORMATS } from '../../src/report/index.js';
import { redactSecrets } from '../../src/report/redact.js';
import { FAKE_SECRETS, fakePrivateKey, finding, partialScanInput } from './fixtures.js';

describe('redactSecrets', () => {
  it('masks a GitHub classic token, keeping its prefix and last 4 characters', () => {
    expect(redactSecrets(`token=${FAKE_SECRETS.githubToken};`)).toBe('token=ghp_[REDACTED…WXYZ];');
  });

  it('masks a fine-grained PAT, an sk- key and a Slack token', () => {
    expect(redactSecrets(FAKE_SECRETS.githubFineGrainedPat)).toBe('github_pat_[REDACTED…TAIL]');
    expect(redactSecrets(`key ${FAKE_SECRETS.anthropicKey}`)).toBe('key sk-ant-[REDACTED…LAST]');
    expect(redactSecrets(FAKE_SECRETS.slackToken)).toBe('xoxb-[REDACTED…UvWx]');
  });

  it("cuts a vendor's redacted key (Anthropic's partial hint, OpenAI's redacted value) to its prefix and last 4", () => {
    expect(redactSecrets('"partial_key_hint": "sk-ant-api03-R2D...igAA"')).toBe(
      '"partial_key_hint": "sk-ant-api03-[REDACTED…igAA]"',
    );
    expect(redactSecrets('sk-proj-*********bAt1 and sk-admin...T4rf')).toBe(
      'sk-proj-[REDACTED…bAt1] and sk-[REDACTED…T4rf]',
    );
    expect(redactSecrets(redactSecrets('sk-ant-api03-R2D...igAA'))).toBe('sk-ant-api03-[REDACTED…igAA]');
  });

  it('masks an AWS secret access key when its name says what it is', () => {
    const secret = FAKE_SECRETS.awsSecretKey;
    expect(redactSecrets(`aws_secret_access_key = ${secret}`)).toBe(
      'aws_secret_access_key = [REDACTED…EKEY]',
    );
    expect(redactSecrets(`{"SecretAccessKey": "${secret}"}`)).toBe('{"SecretAccessKey": "[REDACTED…EKEY]"}');
  });

  it('leaves AWS access key ids visible: they identify a key, they are not secrets', () => {
    const text = 'key AKIAIOSFODNN7EXAMPLE and session ASIAIOSFODNN7EXAMPLE';
    expect(redactSecrets(text)).toBe(text);
  });

  it('removes a whole private key block, with real or JSON-escaped newlines', () => {
    const pem = fakePrivateKey();
    expect(redactSecrets(`before\n${pem}\nafter`)).toBe('before\n[REDACTED RSA PRIVATE KEY]\nafter');
    const escaped = JSON.stringify({ key: pem });
    expect(redactSecrets(escaped)).toBe('{"key":"[REDACTED RSA PRIVATE KEY]"}');
  });

  it('does not let a truncated key in JSON swallow the document up to a later key', () => {
    // Given a JSON document with a key cut short, then ordinary data, then a whole key
    const truncated = fakePrivateKey().split('\n').slice(0, 2).join('\n');
    const json = JSON.stringify({ a: truncated, keep: 'visible', b: fakePrivateKey() });
    // When redacted
    const out = redactSecrets(json);
    // Then both keys are gone, the data between them stays, and the JSON still parses
    expect(JSON.parse(out)).toEqual({
      a: '[REDACTED RSA PRIVATE KEY]',
      keep: 'visible',
      b: '[REDACTED RSA PRIVATE KEY]',
    });
  });

  it('is idempotent and leaves ordinary text alone', () => {
    const once = redactSecrets(`a ${FAKE_SECRETS.githubToken} b`);
    expect(redactSecrets(once)).toBe(once);
    const plain = 'task-force-alpha ask-me-anything github_patterns sk-short';
    expect(redactSecrets(plain)).toBe(plain);
  });
});

describe('every report format', () => {
  // Given a finding whose reason, resource-adjacent evidence and remediation carry secrets
  const leaky = finding(
    'github-classic-pat-without-expiry',
    'https://github.com/octo-org/deploy-bot',
    `Token ${FAKE_SECRETS.githubToken} found in a workflow log; also ${FAKE_SECRETS.anthropicKey}.`,
    {
      leakedToken: FAKE_SECRETS.githubToken,
      config: `aws_secret_access_key=${FAKE_SECRETS.awsSecretKey}`,
      slack: FAKE_SECRETS.slackToken,
      fineGrained: FAKE_SECRETS.githubFineGrainedPat,
      deployKey: fakePrivateKey(),
      [FAKE_SECRETS.githubToken]: 'a secret used as a key',
    },
  );
  const input = partialScanInput({
    findings: [{ ...leaky, remediation: `Revoke ${FAKE_SECRETS.githubToken} now.` }],
    color: true,
  });
  const bodies = [
    FAKE_SECRETS.githubToken.slice(4),
    FAKE_SECRETS.githubFineGrainedPat.slice(11),
    FAKE_SECRETS.awsSecretKey,
    FAKE_SECRETS.anthropicKey.slice(7),
    FAKE_SECRETS.slackToken.slice(5),
    FAKE_SECRETS.privateKeyBody,
  ];

  it.each(REPORT_FORMATS)('%s never shows a secret, only its last 4 characters', (format) => {
    // When the report is rendered in this format
    const text = RENDERERS[format](input);
    // Then no secret appears whole, nor any long part of one
    for (const body of bodies) {
      expect(text).not.toContain(body);
      expect(text).not.toContain(body.slice(0, 16));
    }
    // And people still see which token it was
    expect(text).toContain('…WXYZ');
    // And machine-readable formats stay parseable
    if (format === 'json' || format === 'sarif') expect(() => JSON.parse(text)).not.toThrow();
  });

  it('keeps the AWS access key id that identifies the shared key', () => {
    const text = RENDERERS.json(partialScanInput());
    expect(text).toContain('AKIAIOSFODNN7EXAMPLE');
  });
});
