// Classifies CloudTrail user agents into client families (console, CLI, SDKs, IaC, AI agents) and source addresses into networks.

/** What kind of client made a call, judged from its user agent. */
export interface ClientClass {
  /** `console`, `aws-cli`, `sdk-python`, `iac:terraform`, `aws-service`, `ai-agent:claude-code`, `unknown`… */
  family: string;
  /** True for CLI, SDK, IaC and agent clients: software, not a person at a console. */
  automated: boolean;
  /** True when the client is an AI agent, an agent framework or an MCP server. */
  agent: boolean;
}

/**
 * AI agents and agent frameworks, most specific first. They are looked for anywhere in the user agent, because
 * SDK user agents carry them in `app/<id>`, `md/<key>#<value>`, `exec-env/…` or a free suffix (botocore's
 * `user_agent_extra`). Formats seen in the agents' own sources: Claude Code sends `claude-cli/2.0.69 (external, cli)`;
 * Strands sets `strands-agents` (and `strands-agents-memory`…); langchain-aws adds `x-client-framework:langchain-aws`;
 * the awslabs MCP servers add `md/awslabs#mcp#<server>#<version>`.
 */
export const AGENT_MARKERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/claude[-_ ]?code|claude-cli\//, 'claude-code'],
  [/strands[-_]agents?/, 'strands-agents'],
  [/bedrock[-_]agentcore/, 'bedrock-agentcore'],
  [/langgraph/, 'langgraph'],
  [/langchain/, 'langchain'],
  [/crewai/, 'crewai'],
  [/autogen/, 'autogen'],
  [/llama[-_]?index/, 'llamaindex'],
  [/openai[-_]agents/, 'openai-agents'],
  [/(?:^|[^a-z0-9])codex(?:[^a-z0-9]|$)/, 'codex'],
  [/openai/, 'openai'],
  [/(?:^|[^a-z0-9])cursor(?:[^a-z0-9]|$)/, 'cursor'],
  // AWS Copilot (the ECS deployment CLI) is not an AI agent.
  [/(?:^|[^a-z0-9])(?<!aws-)copilot(?:[^a-z0-9]|$)/, 'copilot'],
  [/(?:^|[^a-z0-9])devin(?:[^a-z0-9]|$)/, 'devin'],
  [/amazon[-_]?q(?:[^a-z0-9]|$)|q[-_]developer|amazonq/, 'amazon-q'],
  [/(?:^|[^a-z0-9])kiro(?:[^a-z0-9]|$)/, 'kiro'],
  [/gemini[-_]cli/, 'gemini-cli'],
  [/(?:^|[^a-z0-9])(?:aider|cline|goose|windsurf)(?:[^a-z0-9]|$)/, 'coding-agent'],
  [/pydantic[-_]ai|smolagents/, 'agent-framework'],
  [/anthropic/, 'anthropic'],
  [/(?:^|[^a-z0-9])claude(?:[^a-z0-9]|$)/, 'claude'],
  [/(?:^|[^a-z0-9])mcp(?:[^a-z0-9]|$)/, 'mcp'],
];

/** Infrastructure-as-code tools, checked before SDKs because they embed an SDK user agent. */
export const IAC_MARKERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/pulumi/, 'iac:pulumi'],
  [/hashicorp\/|terraform|opentofu/, 'iac:terraform'],
  [/aws-cdk|(?:^|[^a-z0-9])cdk\//, 'iac:cdk'],
  [/cloudformation/, 'iac:cloudformation'],
  [/crossplane/, 'iac:crossplane'],
  [/ansible/, 'iac:ansible'],
];

/** SDK tokens, in the order they are tried. */
export const SDK_MARKERS: ReadonlyArray<readonly [string, string]> = [
  ['boto3/', 'sdk-python'],
  ['botocore/', 'sdk-python'],
  ['aws-sdk-js', 'sdk-js'],
  ['aws-sdk-nodejs', 'sdk-js'],
  ['aws-sdk-go', 'sdk-go'],
  ['aws-sdk-java', 'sdk-java'],
  ['aws-sdk-dotnet', 'sdk-dotnet'],
  ['aws-sdk-ruby', 'sdk-ruby'],
  ['aws-sdk-rust', 'sdk-rust'],
  ['aws-sdk-php', 'sdk-php'],
  ['aws-sdk-cpp', 'sdk-cpp'],
  ['aws-sdk-kotlin', 'sdk-kotlin'],
  ['aws-sdk-swift', 'sdk-swift'],
];

const UNKNOWN: ClientClass = { family: 'unknown', automated: false, agent: false };
const CONSOLE: ClientClass = { family: 'console', automated: false, agent: false };
const AWS_SERVICE: ClientClass = { family: 'aws-service', automated: false, agent: false };

const automatedClient = (family: string): ClientClass => ({ family, automated: true, agent: false });

/**
 * Classifies a CloudTrail `userAgent`. Order matters: AI agents first (they ride on SDKs and CLIs), then the
 * console and its front ends (which call through internal SDKs), AWS services, IaC tools (which embed an SDK),
 * the CLI, SDKs, and finally browsers.
 */
export function classifyUserAgent(ua: string | undefined | null): ClientClass {
  if (!ua) return UNKNOWN;
  let text = ua.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1).trim();
  const lower = text.toLowerCase();
  if (lower.length === 0) return UNKNOWN;

  // `api/cloudformation#3.6` and `md/command#s3.ls` name the AWS API an SDK or the CLI is calling, not the tool
  // calling it: they must not make an SDK call look like CloudFormation, or `api/mcp…` like an agent.
  const tools = lower.replace(/(?:^|\s)(?:api\/|md\/command#)\S*/g, ' ');
  for (const [pattern, name] of AGENT_MARKERS) {
    if (pattern.test(tools)) return { family: `ai-agent:${name}`, automated: true, agent: true };
  }
  if (isConsole(lower)) return CONSOLE;
  if (lower === 'cloudformation.amazonaws.com') return automatedClient('iac:cloudformation');
  if (isAwsService(lower)) return AWS_SERVICE;
  for (const [pattern, family] of IAC_MARKERS) {
    if (pattern.test(tools)) return automatedClient(family);
  }
  if (lower.startsWith('aws-cli/') || lower.includes(' aws-cli/')) return automatedClient('aws-cli');
  if (lower.includes('awspowershell') || lower.includes('aws-powershell'))
    return automatedClient('aws-powershell');
  for (const [token, family] of SDK_MARKERS) {
    if (lower.includes(token)) return automatedClient(family);
  }
  if (lower.startsWith('mozilla/') || lower.startsWith('opera/')) return CONSOLE;
  return UNKNOWN;
}

function isConsole(lower: string): boolean {
  if (lower === 'signin.amazonaws.com' || lower === 'console.amazonaws.com') return true;
  if (lower.startsWith('console.') && lower.endsWith('.amazonaws.com')) return true;
  // Console back ends calling on a person's behalf: `EC2ConsoleFrontend, aws-internal/3 aws-sdk-java/…`, `AWS Signin, …`.
  return /consolefrontend|^aws signin|awsconsole|console\.aws\.amazon\.com/.test(lower);
}

function isAwsService(lower: string): boolean {
  if (lower.startsWith('aws internal')) return true;
  if (/^[a-z0-9.-]+\.amazonaws\.com(?:\.cn)?$/.test(lower)) return true;
  return lower.includes('aws-internal/') || lower.startsWith('coral/');
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The network a call came from: the `/24` of an IPv4 address, the `/48` of an IPv6 address, an AWS service name
 * (`lambda.amazonaws.com`) or other non-address value as is, `unknown` when missing.
 * Octets are normalised (`010` → `10`), as some anonymised logs pad them.
 */
export function sourceNetwork(address: string | undefined | null): string {
  if (!address) return 'unknown';
  const text = address.trim();
  if (text.length === 0) return 'unknown';
  const v4 = IPV4.exec(text);
  if (v4) return `${Number(v4[1])}.${Number(v4[2])}.${Number(v4[3])}.0/24`;
  if (text.includes(':')) {
    const v6 = ipv6Network48(text);
    if (v6) return v6;
  }
  return text;
}

/** The `/48` of an IPv6 address (IPv4-mapped addresses give their IPv4 `/24`), or null when it is not one. */
function ipv6Network48(text: string): string | null {
  let address = text.toLowerCase();
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  const mapped = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(address);
  if (mapped) return sourceNetwork(mapped[1]);
  if (!/^[0-9a-f:.]+$/.test(address)) return null;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups =
    halves.length === 2
      ? [...head, ...new Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail]
      : head;
  if (groups.length < 3 || groups.slice(0, 3).some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return null;
  const prefix = groups.slice(0, 3).map((group) => parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/48`;
}
