// Client families from real CloudTrail user agents, and source networks from addresses.
import { describe, expect, it } from 'vitest';
import { classifyUserAgent, sourceNetwork } from '../../../src/usage/cloudtrail/userAgent.js';

describe('classifyUserAgent', () => {
  it.each([
    // From the fixtures (OTRF, TrailDiscover, Stratus Red Team)
    ['console.ec2.amazonaws.com', 'console'],
    ['signin.amazonaws.com', 'console'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/0.0.0.0 Safari/537.36',
      'console',
    ],
    [
      'EC2ConsoleFrontend, aws-internal/3 aws-sdk-java/1.11.848 Linux/4.9.217-0.1.ac.205.84.332.metal1.x86_64 OpenJDK_64-Bit_Server_VM/25.262-b10 java/1.8.0_262 vendor/Oracle_Corporation',
      'console',
    ],
    ['[aws-cli/1.18.136 Python/3.8.5 Darwin/19.5.0 botocore/1.17.59]', 'aws-cli'],
    // The API an SDK calls (api/…) and the CLI command (md/command#…) do not name the calling tool
    [
      'aws-sdk-js/3.658.1 ua/2.1 os/linux#6.8.0-1015-azure lang/js md/nodejs#20.18.0 api/cloudformation#3.658.1 m/E',
      'sdk-js',
    ],
    ['aws-cli/2.18.4 ua/2.0 os/macos#24.0.0 md/command#cloudformation.describe-stacks', 'aws-cli'],
    [
      'aws-cli/2.31.1 md/awscrt#0.27.6 ua/2.1 os/linux#6.1.147-172.266.amzn2023.x86_64 md/arch#x86_64 lang/python#3.13.7 md/pyimpl#CPython exec-env/CloudShell m/Z,b,C,E cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2023 md/prompt#off md/command#sts.get-caller-identity',
      'aws-cli',
    ],
    [
      'APN/1.0 HashiCorp/1.0 Terraform/1.11.0 (+https://www.terraform.io) terraform-provider-aws/5.98.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.23.8 md/GOOS#linux md/GOARCH#amd64 api/apigatewayv2#1.27.1 m/g',
      'iac:terraform',
    ],
    [
      'aws-sdk-go-v2/1.32.3 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 exec-env/grimoire_095724e3-1fa0-4e3e-b68a-e8581d194380 api/sts#1.26.2',
      'sdk-go',
    ],
    ['AWS Internal', 'aws-service'],
    ['ec2.amazonaws.com', 'aws-service'],
    ['stratus-red-team_ea782787-a65d-4fc4-9fca-1c97869a9a25', 'unknown'],
    ['Jersey/${project.version} (HttpUrlConnection 17.0.12)', 'unknown'],
    // SDK and IaC formats as the SDKs build them
    [
      'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36',
      'sdk-python',
    ],
    ['aws-sdk-js/3.658.1 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.17.0 api/s3#3.658.1 m/E', 'sdk-js'],
    ['aws-sdk-nodejs/2.1001.0 linux/v16.20.2 exec-env/AWS_Lambda_nodejs16.x promise', 'sdk-js'],
    [
      'aws-sdk-java/2.25.11 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
      'sdk-java',
    ],
    [
      'aws-sdk-dotnet-coreclr/3.7.300.2 aws-sdk-dotnet-core/3.7.302.7 .NET_Core/6.0.26 OS/Linux ClientAsync',
      'sdk-dotnet',
    ],
    ['aws-sdk-ruby3/3.191.3 ua/2.0 api/s3#1.143.0 os/linux md/x86_64 lang/ruby#3.2.2 md/3.2.2', 'sdk-ruby'],
    ['aws-sdk-rust/1.1.7 os/linux lang/rust/1.75.0', 'sdk-rust'],
    ['cloudformation.amazonaws.com', 'iac:cloudformation'],
    ['APN/1.0 Pulumi/1.0 pulumi-aws/v6.22.0 aws-sdk-go-v2/1.25.0', 'iac:pulumi'],
    [
      'aws-sdk-js/3.540.0 ua/2.1 os/darwin#23.4.0 lang/js md/nodejs#20.12.0 api/cloudformation#3.540.0 aws-cdk/2.135.0',
      'iac:cdk',
    ],
  ])('%s → %s', (ua, family) => {
    expect(classifyUserAgent(ua).family).toBe(family);
  });

  it.each([
    ['claude-cli/2.0.69 (external, cli)', 'ai-agent:claude-code'],
    [
      'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/darwin#24.0 lang/python#3.12.6 md/pyimpl#CPython app/claude-code Botocore/1.35.36',
      'ai-agent:claude-code',
    ],
    [
      'Boto3/1.38.42 md/Botocore#1.38.42 ua/2.1 os/linux#6.1 md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython m/Z,b,D Botocore/1.38.42 strands-agents',
      'ai-agent:strands-agents',
    ],
    [
      'Boto3/1.37.0 md/Botocore#1.37.0 ua/2.0 os/linux lang/python#3.11 Botocore/1.37.0 x-client-framework:langchain-aws',
      'ai-agent:langchain',
    ],
    [
      'Boto3/1.39.0 md/Botocore#1.39.0 ua/2.1 os/linux lang/python#3.12 Botocore/1.39.0 md/awslabs#mcp#iam-mcp-server#1.0.3',
      'ai-agent:mcp',
    ],
    [
      'aws-sdk-js/3.700.0 ua/2.1 os/linux lang/js md/nodejs#22.0.0 api/sts#3.700.0 app/cursor',
      'ai-agent:cursor',
    ],
  ])('recognises the agent in %s', (ua, family) => {
    expect(classifyUserAgent(ua)).toEqual({ family, automated: true, agent: true });
  });

  it('marks people at a console as not automated, and software as automated', () => {
    expect(classifyUserAgent('console.amazonaws.com')).toEqual({
      family: 'console',
      automated: false,
      agent: false,
    });
    expect(classifyUserAgent('aws-cli/2.17.32 md/awscrt#0.21.2')).toEqual({
      family: 'aws-cli',
      automated: true,
      agent: false,
    });
    expect(classifyUserAgent(undefined)).toEqual({ family: 'unknown', automated: false, agent: false });
  });

  it('does not take AWS Copilot (the ECS deployment CLI) or words that merely contain a marker for AI agents', () => {
    expect(classifyUserAgent('aws-copilot/1.34.0 aws-sdk-go/1.50.0 (go1.21.6; darwin; arm64)').agent).toBe(
      false,
    );
    expect(
      classifyUserAgent('aws-sdk-go/1.50.0 (go1.21.6; linux; amd64) exec-env/recursor-daemon').agent,
    ).toBe(false);
  });
});

describe('sourceNetwork', () => {
  it.each([
    ['1.2.3.4', '1.2.3.0/24'],
    ['225.178.039.250', '225.178.39.0/24'],
    ['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3::/48'],
    ['2600:1f18:0042:ab00::1', '2600:1f18:42::/48'],
    ['::ffff:10.1.2.3', '10.1.2.0/24'],
    ['lambda.amazonaws.com', 'lambda.amazonaws.com'],
    ['AWS Internal', 'AWS Internal'],
    [undefined, 'unknown'],
    ['', 'unknown'],
  ])('%s → %s', (address, network) => {
    expect(sourceNetwork(address)).toBe(network);
  });
});
