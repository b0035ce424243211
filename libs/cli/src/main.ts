import { runCli } from './cli.js';

// The exit code is set, not forced: stdout (a pipe to jq, a CI log) is flushed before the process ends.
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, process.stdin, process.env);
