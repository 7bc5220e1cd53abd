// The registry of scan sources: every connector and audit-log ingester `scan` can read, in the order they merge.
import { anthropicSource } from '../connectors/anthropic/source.js';
import { awsExportsSource } from '../connectors/aws/exports/source.js';
import { awsLiveSource } from '../connectors/aws/live/source.js';
import { awsTrailBucketSource } from '../connectors/aws/live/trailSource.js';
import type { RegisteredSource } from '../connectors/contract.js';
import { importSource } from '../connectors/import/source.js';
import { localSource } from '../connectors/local/source.js';
import { oktaSource } from '../connectors/okta/source.js';
import { openAiSource } from '../connectors/openai/source.js';
import { githubSource } from '../connectors/github/source.js';
import { peopleSource } from '../connectors/people/source.js';
import { slackSource } from '../connectors/slack/source.js';
import { cloudtrailSource } from '../usage/cloudtrail/source.js';
import { cloudtrailPushdownSource } from '../usage/pushdown/source.js';

/**
 * Every source, in merge order: inventories first (their identities win on a duplicate id), then people, then
 * usage sources whose `link` joins observations to the merged inventory, and local discovery last (its `link` needs the
 * key ids CloudTrail's attaches). Adding a source is one line here.
 */
export const SOURCES: readonly RegisteredSource[] = [
  awsExportsSource,
  awsLiveSource,
  oktaSource,
  openAiSource,
  anthropicSource,
  slackSource,
  importSource,
  peopleSource,
  githubSource,
  cloudtrailSource,
  awsTrailBucketSource,
  localSource,
  cloudtrailPushdownSource,
];
