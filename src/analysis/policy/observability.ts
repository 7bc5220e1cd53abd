// Which granted actions a CloudTrail window can show as used: data events (off by default) and permission-only actions.

/** Data-event categories: CloudTrail logs these calls only when a trail enables data events for them. */
export const DATA_EVENT_CATEGORIES: readonly { category: string; pattern: RegExp }[] = [
  {
    category: 'S3 object-level',
    pattern:
      /^s3:(\w*Object\w*|AbortMultipartUpload|ListMultipartUploadParts|ListBucketMultipartUploads|RestoreObject)$/i,
  },
  { category: 'S3 Object Lambda', pattern: /^s3-object-lambda:/i },
  { category: 'Lambda Invoke', pattern: /^lambda:Invoke(Function|Async|FunctionUrl)?$/i },
  {
    category: 'DynamoDB item-level',
    pattern:
      /^dynamodb:(GetItem|PutItem|UpdateItem|DeleteItem|Query|Scan|BatchGetItem|BatchWriteItem|ConditionCheckItem|PartiQL\w+|GetRecords|GetShardIterator)$/i,
  },
  { category: 'SNS Publish', pattern: /^sns:Publish(Batch)?$/i },
  {
    category: 'SQS messages',
    pattern:
      /^sqs:(SendMessage|SendMessageBatch|ReceiveMessage|DeleteMessage|DeleteMessageBatch|ChangeMessageVisibility\w*)$/i,
  },
  {
    category: 'Kinesis records',
    pattern: /^kinesis:(GetRecords|GetShardIterator|PutRecords?|SubscribeToShard)$/i,
  },
];

/**
 * Actions that are checked as a permission of another call, or on a data plane CloudTrail never records, so no
 * event ever names them: passing a role, tagging or naming an assumed session, API Gateway invocations, IAM
 * database authentication, OpenSearch HTTP requests, EFS client mounts.
 */
const NEVER_LOGGED: readonly RegExp[] = [
  /^iam:PassRole$/i,
  /^sts:(TagSession|SetSourceIdentity|SetContext)$/i,
  /^execute-api:Invoke$/i,
  /^rds-db:connect$/i,
  /^es:ESHttp\w+$/i,
  /^elasticfilesystem:Client\w+$/i,
];

/** Where an action stands in the never-logged list (most consequential first), or the list's length when absent. */
export function neverLoggedRank(action: string): number {
  const rank = NEVER_LOGGED.findIndex((pattern) => pattern.test(action));
  return rank < 0 ? NEVER_LOGGED.length : rank;
}

/** Why the window may not show an action's use, or null when CloudTrail management events would. */
export type UnobservableReason = { kind: 'data-event'; category: string } | { kind: 'never-logged' };

/** The data-event category of an action, or null. */
export function dataEventCategory(action: string): string | null {
  return DATA_EVENT_CATEGORIES.find((c) => c.pattern.test(action))?.category ?? null;
}

/**
 * Why a window of CloudTrail cannot show that `action` was used: it is a data event of a category no event of the
 * window belongs to (so the trail probably does not log it), or it is never logged. Null when it would be seen.
 */
export function unobservableReason(
  action: string,
  dataEventCategoriesSeen: ReadonlySet<string>,
): UnobservableReason | null {
  if (NEVER_LOGGED.some((pattern) => pattern.test(action))) return { kind: 'never-logged' };
  const category = dataEventCategory(action);
  if (category !== null && !dataEventCategoriesSeen.has(category)) return { kind: 'data-event', category };
  return null;
}

/** The data-event categories of the actions a window saw used: evidence that the trail logs those data events. */
export function dataEventCategoriesSeen(usedActions: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  for (const action of usedActions) {
    const category = dataEventCategory(action);
    if (category !== null) seen.add(category);
  }
  return seen;
}
