// A local AWS-compatible endpoint for tests: IAM's Query API (XML), CloudTrail's JSON 1.1 and S3's REST API, recording every call.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An access key as the fake IAM lists it. */
export interface FakeAccessKey {
  AccessKeyId: string;
  Status: 'Active' | 'Inactive';
  CreateDate: string;
  LastUsed?: { LastUsedDate?: string; ServiceName: string; Region: string };
}

/** What the fake account holds and how it misbehaves. */
export interface FakeAwsEstate {
  /** `aws iam get-account-authorization-details` output (policy documents as JSON objects, as the CLI prints them). */
  authorizationDetails: Record<string, unknown[]>;
  /** The credential report CSV. */
  credentialReportCsv: string;
  accessKeys: Record<string, FakeAccessKey[]>;
  oidcProviders?: {
    Arn: string;
    Url: string;
    ClientIDList: string[];
    ThumbprintList: string[];
    CreateDate: string;
  }[];
  samlProviders?: { Arn: string; CreateDate: string; ValidUntil: string }[];
  /** The account alias ListAccountAliases returns (none when absent). */
  accountAlias?: string;
  /** Events LookupEvents returns (filtered by its StartTime/EndTime, newest first). */
  lookupEvents?: Record<string, unknown>[];
  /** S3 objects by bucket and key. */
  buckets?: Record<string, Record<string, Buffer>>;
  /** Entities per GetAccountAuthorizationDetails page (default 100) and S3 keys per ListObjectsV2 page (default 1000). */
  authorizationPageSize?: number;
  s3PageSize?: number;
  /** GenerateCredentialReport answers STARTED this many times before COMPLETE. */
  reportPollsBeforeComplete?: number;
  /** Calls (`iam:ListAccessKeys`, `cloudtrail:LookupEvents`, `s3:GetObject`) answered with AccessDenied. */
  deny?: string[];
  /** S3 keys whose GetObject is answered with AccessDenied. */
  denyKeys?: string[];
  /** Calls answered with a throttling error the first time they are made. */
  throttleOnce?: string[];
}

/** One request the fake endpoint received, named as the IAM action it needs. */
export interface RecordedCall {
  action: string;
  method: string;
  path: string;
  params: Record<string, string>;
}

/** A running fake endpoint. */
export interface FakeAws {
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const POLICY_DOCUMENT_FIELDS = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);
const ENTITY_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/** Starts the fake endpoint on 127.0.0.1 (a free port). */
export async function startFakeAws(estate: FakeAwsEstate): Promise<FakeAws> {
  const calls: RecordedCall[] = [];
  const throttled = new Set<string>();
  let reportPolls = 0;
  let requestNumber = 0;

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const requestId = `fake-${++requestNumber}`;
      const reply = (status: number, contentType: string, payload: string | Buffer): void => {
        response.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': requestId });
        response.end(payload);
      };
      const target = request.headers['x-amz-target'];
      if (request.method === 'POST' && typeof target === 'string') {
        handleCloudTrail(target, body, calls, reply);
      } else if (request.method === 'POST' && url.pathname === '/' && body.includes('Version=2010-05-08')) {
        handleIam(new URLSearchParams(body), calls, reply, requestId);
      } else {
        handleS3(request.method ?? 'GET', url, calls, reply);
      }
    });
  });

  const misbehaves = (action: string): { status: number; code: string; message: string } | null => {
    if (estate.deny?.includes(action)) {
      return {
        status: action.startsWith('s3:') ? 403 : action.startsWith('iam:') ? 403 : 400,
        code: action.startsWith('cloudtrail:') ? 'AccessDeniedException' : 'AccessDenied',
        message: `User: arn:aws:iam::210987654321:user/auditor is not authorized to perform: ${action}`,
      };
    }
    if (estate.throttleOnce?.includes(action) && !throttled.has(action)) {
      throttled.add(action);
      return {
        status: action.startsWith('s3:') ? 503 : 400,
        code: action.startsWith('cloudtrail:')
          ? 'ThrottlingException'
          : action.startsWith('s3:')
            ? 'SlowDown'
            : 'Throttling',
        message: 'Rate exceeded',
      };
    }
    return null;
  };

  type Reply = (status: number, contentType: string, payload: string | Buffer) => void;

  function handleIam(params: URLSearchParams, log: RecordedCall[], reply: Reply, requestId: string): void {
    const name = params.get('Action') ?? '(none)';
    const action = `iam:${name}`;
    log.push({ action, method: 'POST', path: '/', params: Object.fromEntries(params) });
    const failure = misbehaves(action);
    const error = (status: number, code: string, message: string): void =>
      reply(
        status,
        'text/xml',
        `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    if (failure) return error(failure.status, failure.code, failure.message);
    const ok = (result: Record<string, unknown>): void =>
      reply(
        200,
        'text/xml',
        `<${name}Response xmlns="${IAM_NS}">${toXml(`${name}Result`, result)}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${name}Response>`,
      );
    const page = <T>(items: T[], size: number): { items: T[]; marker: string | null } => {
      const start = Number(params.get('Marker') ?? '0');
      const limit = Math.min(size, Number(params.get('MaxItems') ?? size));
      const end = start + limit;
      return { items: items.slice(start, end), marker: end < items.length ? String(end) : null };
    };
    switch (name) {
      case 'GetAccountAuthorizationDetails': {
        const entities = ENTITY_LISTS.flatMap((list) =>
          (estate.authorizationDetails[list] ?? []).map((item) => ({ list, item })),
        );
        const { items, marker } = page(entities, estate.authorizationPageSize ?? 100);
        const result: Record<string, unknown> = {};
        for (const list of ENTITY_LISTS) {
          result[list] = items.filter((entity) => entity.list === list).map((entity) => entity.item);
        }
        return ok({ ...result, IsTruncated: marker !== null, ...(marker ? { Marker: marker } : {}) });
      }
      case 'GenerateCredentialReport': {
        reportPolls++;
        const complete = reportPolls > (estate.reportPollsBeforeComplete ?? 0);
        return ok({
          State: complete ? 'COMPLETE' : 'STARTED',
          Description: complete
            ? 'Report is ready'
            : 'No report exists. Starting a new report generation task',
        });
      }
      case 'GetCredentialReport':
        return ok({
          Content: Buffer.from(estate.credentialReportCsv).toString('base64'),
          ReportFormat: 'text/csv',
          GeneratedTime: '2026-10-30T11:58:00Z',
        });
      case 'ListAccessKeys': {
        const user = params.get('UserName') ?? '';
        const keys = estate.accessKeys[user];
        if (!keys) {
          const known = (estate.authorizationDetails['UserDetailList'] ?? []).some(
            (entry) => (entry as { UserName?: string }).UserName === user,
          );
          if (!known) return error(404, 'NoSuchEntity', `The user with name ${user} cannot be found.`);
        }
        const { items, marker } = page(keys ?? [], 100);
        return ok({
          UserName: user,
          AccessKeyMetadata: items.map(({ AccessKeyId, Status, CreateDate }) => ({
            UserName: user,
            AccessKeyId,
            Status,
            CreateDate,
          })),
          IsTruncated: marker !== null,
          ...(marker ? { Marker: marker } : {}),
        });
      }
      case 'GetAccessKeyLastUsed': {
        const id = params.get('AccessKeyId');
        for (const [user, keys] of Object.entries(estate.accessKeys)) {
          const key = keys.find((candidate) => candidate.AccessKeyId === id);
          if (key) {
            return ok({
              UserName: user,
              AccessKeyLastUsed: key.LastUsed ?? { ServiceName: 'N/A', Region: 'N/A' },
            });
          }
        }
        return error(404, 'NoSuchEntity', `The Access Key with id ${id ?? ''} cannot be found`);
      }
      case 'ListOpenIDConnectProviders':
        return ok({ OpenIDConnectProviderList: (estate.oidcProviders ?? []).map(({ Arn }) => ({ Arn })) });
      case 'GetOpenIDConnectProvider': {
        const provider = (estate.oidcProviders ?? []).find(
          (candidate) => candidate.Arn === params.get('OpenIDConnectProviderArn'),
        );
        if (!provider) return error(404, 'NoSuchEntity', 'OpenIDConnect Provider not found');
        const { Arn: _arn, ...details } = provider;
        return ok(details);
      }
      case 'ListSAMLProviders':
        return ok({ SAMLProviderList: estate.samlProviders ?? [] });
      case 'ListAccountAliases':
        return ok({ AccountAliases: estate.accountAlias ? [estate.accountAlias] : [], IsTruncated: false });
      default:
        return error(400, 'InvalidAction', `The action ${name} is not valid for this web service.`);
    }
  }

  function handleCloudTrail(target: string, body: string, log: RecordedCall[], reply: Reply): void {
    const name = target.replace(/^CloudTrail_20131101\./, '');
    const action = `cloudtrail:${name}`;
    const input = (body ? JSON.parse(body) : {}) as {
      StartTime?: number;
      EndTime?: number;
      MaxResults?: number;
      NextToken?: string;
    };
    log.push({ action, method: 'POST', path: '/', params: { target } });
    const json = (status: number, value: unknown, errorType?: string): void => {
      if (errorType) {
        reply(status, 'application/x-amz-json-1.1', JSON.stringify({ __type: errorType, message: value }));
      } else {
        reply(status, 'application/x-amz-json-1.1', JSON.stringify(value));
      }
    };
    const failure = misbehaves(action);
    if (failure) return json(failure.status, failure.message, failure.code);
    if (name !== 'LookupEvents') return json(400, `Unknown operation ${name}`, 'UnknownOperationException');
    const start = (input.StartTime ?? 0) * 1000;
    const end = (input.EndTime ?? Number.MAX_SAFE_INTEGER / 1000) * 1000;
    const events = (estate.lookupEvents ?? [])
      .filter((event) => {
        const time = Date.parse(String(event['eventTime']));
        return time >= start && time <= end;
      })
      .sort((a, b) => Date.parse(String(b['eventTime'])) - Date.parse(String(a['eventTime'])));
    const offset = Number(input.NextToken ?? '0');
    const size = Math.min(50, input.MaxResults ?? 50);
    const items = events.slice(offset, offset + size).map((event) => ({
      EventId: event['eventID'],
      EventName: event['eventName'],
      ReadOnly: String(event['readOnly'] ?? 'false'),
      AccessKeyId: (event['userIdentity'] as { accessKeyId?: string } | undefined)?.accessKeyId,
      EventTime: Date.parse(String(event['eventTime'])) / 1000,
      EventSource: event['eventSource'],
      Resources: [],
      CloudTrailEvent: JSON.stringify(event),
    }));
    const next = offset + size < events.length ? String(offset + size) : undefined;
    return json(200, { Events: items, ...(next ? { NextToken: next } : {}) });
  }

  function handleS3(method: string, url: URL, log: RecordedCall[], reply: Reply): void {
    const [, bucket = '', ...keyParts] = url.pathname.split('/');
    const key = decodeURIComponent(keyParts.join('/'));
    const params = Object.fromEntries(url.searchParams);
    const isList = method === 'GET' && key === '' && params['list-type'] === '2';
    const isGet = method === 'GET' && key !== '';
    const action = isList ? 's3:ListBucket' : isGet ? 's3:GetObject' : `s3:${method} ${url.pathname}`;
    log.push({ action, method, path: url.pathname, params });
    const xmlError = (status: number, code: string, message: string): void =>
      reply(
        status,
        'application/xml',
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><BucketName>${escapeXml(bucket)}</BucketName><RequestId>r</RequestId></Error>`,
      );
    const failure = misbehaves(action);
    if (failure) return xmlError(failure.status, failure.code, failure.message);
    const objects = estate.buckets?.[decodeURIComponent(bucket)];
    if (!objects) return xmlError(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (isGet) {
      if (estate.denyKeys?.includes(key)) {
        return xmlError(403, 'AccessDenied', `User is not authorized to perform: s3:GetObject on ${key}`);
      }
      const object = objects[key];
      if (!object) return xmlError(404, 'NoSuchKey', 'The specified key does not exist.');
      return reply(200, 'application/octet-stream', object);
    }
    if (!isList) return xmlError(405, 'MethodNotAllowed', 'The specified method is not allowed');
    const prefix = params['prefix'] ?? '';
    const delimiter = params['delimiter'] ?? '';
    const pageSize = Math.min(Number(params['max-keys'] ?? 1000), estate.s3PageSize ?? 1000);
    const entries: { kind: 'key' | 'prefix'; value: string }[] = [];
    const seenPrefixes = new Set<string>();
    for (const name of Object.keys(objects).sort()) {
      if (!name.startsWith(prefix)) continue;
      const rest = name.slice(prefix.length);
      const cut = delimiter ? rest.indexOf(delimiter) : -1;
      if (cut >= 0) {
        const common = prefix + rest.slice(0, cut + delimiter.length);
        if (!seenPrefixes.has(common)) {
          seenPrefixes.add(common);
          entries.push({ kind: 'prefix', value: common });
        }
      } else {
        entries.push({ kind: 'key', value: name });
      }
    }
    const start = Number(params['continuation-token'] ?? '0');
    const pageEntries = entries.slice(start, start + pageSize);
    const next = start + pageSize < entries.length ? String(start + pageSize) : null;
    const contents = pageEntries
      .filter((entry) => entry.kind === 'key')
      .map(
        (entry) =>
          `<Contents><Key>${escapeXml(entry.value)}</Key><LastModified>2026-10-30T11:00:00.000Z</LastModified><ETag>"e"</ETag><Size>${objects[entry.value]?.length ?? 0}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join('');
    const commons = pageEntries
      .filter((entry) => entry.kind === 'prefix')
      .map((entry) => `<CommonPrefixes><Prefix>${escapeXml(entry.value)}</Prefix></CommonPrefixes>`)
      .join('');
    return reply(
      200,
      'application/xml',
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix>${delimiter ? `<Delimiter>${escapeXml(delimiter)}</Delimiter>` : ''}<KeyCount>${pageEntries.length}</KeyCount><MaxKeys>${pageSize}</MaxKeys><IsTruncated>${next !== null}</IsTruncated>${next ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}${params['continuation-token'] ? `<ContinuationToken>${params['continuation-token']}</ContinuationToken>` : ''}${contents}${commons}</ListBucketResult>`,
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * An element of the Query API's XML: lists as `<member>` items, objects as nested elements, and policy documents as
 * the RFC 3986 URL-encoded JSON text IAM returns.
 */
export function toXml(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value))
    return `<${name}>${value.map((item) => toXml('member', item)).join('')}</${name}>`;
  if (typeof value === 'object') {
    if (POLICY_DOCUMENT_FIELDS.has(name)) return `<${name}>${urlEncodedJson(value)}</${name}>`;
    const children = Object.entries(value as Record<string, unknown>)
      .map(([key, child]) => toXml(key, child))
      .join('');
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** JSON text URL-encoded as IAM returns policy documents (RFC 3986: `!'()*` encoded too). */
export function urlEncodedJson(value: unknown): string {
  return encodeURIComponent(JSON.stringify(value)).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
