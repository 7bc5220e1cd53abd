// Decides which identities are AI agents, from evidence (tags, names, user agents, session names), and keeps the evidence.
import type { ClientActivity, Identity, Usage } from '../model/types.js';

/** Name fragments that mark an identity as an AI agent unless the config replaces them. */
export const DEFAULT_AGENT_NAME_PATTERNS = [
  '\\bai[-_]?agent',
  '\\bagent\\b',
  '[-_]agent\\b',
  '\\bllm\\b',
  'claude',
  'copilot',
  'openai',
  'gpt',
  'langchain',
  'crewai',
  'autogen',
  'bedrock-agent',
  'devin',
  'cursor',
  'codex',
];

/** Tag keys and values that declare an agent. */
const AGENT_TAG_KEYS = ['agent', 'ai-agent', 'ai_agent', 'is-agent', 'workload-type', 'workload'];
const AGENT_TAG_VALUES = ['agent', 'ai-agent', 'ai_agent', 'llm-agent', 'true'];
/** Keys that name an agent whatever their value (`ai-agent: support-bot`), unless the value says no. */
const AGENT_NAMING_TAG_KEYS = ['ai-agent', 'ai_agent', 'agent-framework', 'agent-name', 'llm-agent'];
const NEGATIVE_TAG_VALUES = ['', 'false', 'no', '0', 'none', 'n/a'];

/**
 * Service principals whose roles are AI agents' execution roles: Bedrock AgentCore runtimes always; Bedrock itself
 * when the role follows the Bedrock Agents console's naming (`AmazonBedrockExecutionRoleForAgents_…`).
 */
const AGENT_SERVICE_PRINCIPALS: readonly { service: string; name?: RegExp; what: string }[] = [
  { service: 'bedrock-agentcore.amazonaws.com', what: 'a Bedrock AgentCore runtime' },
  { service: 'bedrock.amazonaws.com', name: /^AmazonBedrockExecutionRoleForAgents/i, what: 'Bedrock Agents' },
];

/** Patterns from the config, compiled case-insensitively. */
export interface AgentPatterns {
  names: RegExp[];
  /** Extra user-agent patterns (config `agents.userAgentPatterns`), beyond the built-in agent clients. */
  userAgents: RegExp[];
}

/** Compiles agent name patterns (the defaults when none are configured) and extra user-agent patterns. */
export function compileAgentPatterns(
  names: readonly string[] = DEFAULT_AGENT_NAME_PATTERNS,
  userAgents: readonly string[] = [],
): AgentPatterns {
  return {
    names: names.map((pattern) => new RegExp(pattern, 'i')),
    userAgents: userAgents.map((pattern) => new RegExp(pattern, 'i')),
  };
}

function trustedServices(identity: Identity): string[] {
  const principals = identity.attributes['trusted_principals'];
  if (typeof principals !== 'object' || principals === null || Array.isArray(principals)) return [];
  const services = principals['service'];
  return Array.isArray(services) ? services.filter((s): s is string => typeof s === 'string') : [];
}

/**
 * Returns the identities with `isAgent` and `agentEvidence` set. An identity is an agent when at least one piece of
 * evidence says so; every piece found is kept, so a reader can judge the verdict.
 */
export function classifyAgents(
  identities: readonly Identity[],
  clientActivity: readonly ClientActivity[],
  usage: readonly Usage[],
  patterns: AgentPatterns = compileAgentPatterns(),
): Identity[] {
  const agentClients = new Map<string, Set<string>>();
  for (const activity of clientActivity) {
    if (!activity.agent) continue;
    const set = agentClients.get(activity.identityId) ?? new Set<string>();
    set.add(activity.clientFamily);
    agentClients.set(activity.identityId, set);
  }
  const agentSessions = new Map<string, Set<string>>();
  const agentUserAgents = new Map<string, Set<string>>();
  for (const row of usage) {
    for (const userAgent of row.userAgents) {
      const pattern = patterns.userAgents.find((p) => p.test(userAgent));
      if (!pattern) continue;
      const set = agentUserAgents.get(row.identityId) ?? new Set<string>();
      set.add(`/${pattern.source}/`);
      agentUserAgents.set(row.identityId, set);
    }
    for (const session of row.sessionNames) {
      if (!patterns.names.some((pattern) => pattern.test(session))) continue;
      const set = agentSessions.get(row.identityId) ?? new Set<string>();
      set.add(session);
      agentSessions.set(row.identityId, set);
    }
  }
  return identities.map((identity) => {
    const evidence = new Set(identity.agentEvidence);
    for (const [key, value] of Object.entries(identity.tags)) {
      const k = key.toLowerCase();
      const v = String(value).toLowerCase();
      if (AGENT_TAG_KEYS.includes(k) && AGENT_TAG_VALUES.includes(v)) evidence.add(`tag ${key}=${value}`);
      else if (AGENT_TAG_VALUES.slice(0, 4).includes(v)) evidence.add(`tag ${key}=${value}`);
      else if (AGENT_NAMING_TAG_KEYS.includes(k) && !NEGATIVE_TAG_VALUES.includes(v))
        evidence.add(`tag ${key}=${value}`);
    }
    for (const service of trustedServices(identity)) {
      const match = AGENT_SERVICE_PRINCIPALS.find(
        (p) => p.service === service.toLowerCase() && (!p.name || p.name.test(identity.name)),
      );
      if (match) evidence.add(`trusted by ${service} (${match.what})`);
    }
    for (const pattern of agentUserAgents.get(identity.id) ?? []) {
      evidence.add(`user agent matches configured agent pattern ${pattern}`);
    }
    const namePattern = patterns.names.find((pattern) => pattern.test(identity.name));
    if (namePattern) evidence.add(`name "${identity.name}" matches /${namePattern.source}/`);
    for (const family of agentClients.get(identity.id) ?? [])
      evidence.add(`driven by AI agent client ${family}`);
    for (const session of [...(agentSessions.get(identity.id) ?? [])].slice(0, 3)) {
      evidence.add(`role session name "${session}"`);
    }
    const agentEvidence = [...evidence].sort();
    return { ...identity, isAgent: agentEvidence.length > 0, agentEvidence };
  });
}
