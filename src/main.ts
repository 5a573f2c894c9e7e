// Entry point of the CLI: flags and environment -> config -> a running server (src/server.ts) -> banner;
// or `teamgraph export`, which writes the database's state as a seed (src/seed/export-command.ts).
// `--help` and `--version` load nothing but the flags' table, so they answer at once.
import { earlyAnswer } from './cli-options.ts';

const argv = process.argv.slice(2);
const answer = earlyAnswer(argv);
if (answer !== null) {
  console.log(answer);
  process.exit(0);
}
// Subcommands are read before the server's flags, which take no positional argument.
if (argv[0] === 'export') {
  const { exportCommand } = await import('./seed/export-command.ts');
  await exportCommand(argv.slice(1), process.env).then(
    () => process.exit(0),
    (err: unknown) => fail((err as Error).message),
  );
}
const { loadConfig } = await import('./config.ts');
const loaded = loadConfig(argv, process.env);
if (loaded.kind === 'error') fail(loaded.message);

try {
  const { banner, startServer } = await import('./server.ts');
  const server = await startServer(loaded.config);
  // The first signal stops gracefully (docs/decisions.md 103), a second one at once.
  let isStopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (isStopping) {
        server.drain.force();
        return;
      }
      isStopping = true;
      server.stop().then(
        () => process.exit(0),
        (err: unknown) => fail(`stopping failed: ${(err as Error).message}`),
      );
    });
  }
  console.log(banner(server));
} catch (err) {
  fail((err as Error).message);
}

function fail(message: string): never {
  console.error(`teamgraph: ${message}`);
  process.exit(1);
}
