#!/usr/bin/env node
// The agentaudit command: runs the compiled CLI from dist/ (build it with `npm run build`).
// A reader that stops early (`agentaudit report | head`) closes the pipe: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error && error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    process.stderr.write('agentaudit: not built yet: run `npm run build` in the agentaudit folder first\n');
    process.exit(2);
  }
  throw error;
}
process.exitCode = await main(process.argv);
