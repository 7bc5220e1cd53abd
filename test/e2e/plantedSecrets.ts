// The fake secrets planted in a fixture folder, read back from the files, so tests can prove none reaches any output.
import fs from 'node:fs';
import path from 'node:path';

const PLANTED =
  /(?:AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|OPENAI_API_KEY|ANTHROPIC_API_KEY|SLACK_BOT_TOKEN|GITHUB_PERSONAL_ACCESS_TOKEN)["']?\s*[:=]\s*["']?([^"'\s,}]+)/g;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return entry.name === 'README.md' ? [] : [full];
  });
}

/** Every distinct secret value assigned to a credential variable in the files under `dir`. */
export function plantedSecrets(dir: string): string[] {
  const values = new Set<string>();
  for (const file of files(dir)) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(PLANTED)) values.add(match[1]!);
  }
  return [...values];
}
