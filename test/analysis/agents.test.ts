// Agent evidence beyond names and clients: naming tags, agent runtimes' trust, configured user-agent patterns.
import { describe, expect, it } from 'vitest';
import { classifyAgents, compileAgentPatterns } from '../../src/analysis/agents.js';
import { inventoryFromCase } from '../../src/rules/selftest.js';

const trusting = (service: string) => ({
  trusted_principals: { aws: [], service: [service], federated: [] },
});

describe('classifyAgents evidence', () => {
  it('recognises naming tags, AgentCore and Bedrock Agents execution roles, and configured user agents', () => {
    // Given a role tagged with the agent's name, an AgentCore runtime role, a Bedrock Agents role, a role whose
    // calls carry a user agent the config names, and two roles that are not agents
    const inventory = inventoryFromCase({
      identities: [
        { id: 'tag', name: 'tickets', tags: { 'agent-framework': 'strands' } },
        { id: 'core', name: 'runtime-exec', attributes: trusting('bedrock-agentcore.amazonaws.com') },
        {
          id: 'bedrock',
          name: 'AmazonBedrockExecutionRoleForAgents_7XK2',
          attributes: trusting('bedrock.amazonaws.com'),
        },
        { id: 'ua', name: 'worker' },
        { id: 'kb', name: 'knowledge-base-sync', attributes: trusting('bedrock.amazonaws.com') },
        { id: 'negative', name: 'batch', tags: { 'ai-agent': 'false' } },
      ],
      usage: [{ identityId: 'ua', userAgents: ['Boto3/1.35 md/Botocore#1.35 acme-copilot-runner/2.1'] }],
    });
    // When classified with a configured user-agent pattern
    const verdicts = new Map(
      classifyAgents(
        inventory.identities,
        inventory.clientActivity,
        inventory.usage,
        compileAgentPatterns(undefined, ['acme-copilot-runner']),
      ).map((i) => [i.id, i]),
    );
    // Then each agent keeps the evidence that made it one
    expect(verdicts.get('tag')!.agentEvidence).toEqual(['tag agent-framework=strands']);
    expect(verdicts.get('core')!.agentEvidence).toEqual([
      'trusted by bedrock-agentcore.amazonaws.com (a Bedrock AgentCore runtime)',
    ]);
    expect(verdicts.get('bedrock')!.agentEvidence).toEqual([
      'trusted by bedrock.amazonaws.com (Bedrock Agents)',
    ]);
    expect(verdicts.get('ua')!.agentEvidence).toEqual([
      'user agent matches configured agent pattern /acme-copilot-runner/',
    ]);
    // And a Bedrock knowledge-base role and an explicit "ai-agent=false" are not agents
    expect(verdicts.get('kb')).toMatchObject({ isAgent: false, agentEvidence: [] });
    expect(verdicts.get('negative')).toMatchObject({ isAgent: false, agentEvidence: [] });
  });
});
