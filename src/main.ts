// Entry point of the CLI: flags and environment -> config -> a running server (src/server.ts) -> banner;
// or a command, `teamgraph <command>`, that does its one thing and exits.
// `--help` and `--version` load nothing but the flags' table, so they answer at once.
import { type CommandName, earlyAnswer, isCommand } from './cli-options.ts';
import { prepareKeyPair } from './identity/key-pairs.ts';

// Each command's module is loaded only when it runs, as the server's is.
const commandModules: Record<CommandName, () => Promise<{ run(args: readonly string[]): Promise<void> }>> = {
  'seed-schema': () => import('./seed/seed-schema.command.ts'),
  export: () => import('./seed/export.command.ts'),
};

const argv = process.argv.slice(2);
const answer = earlyAnswer(argv);
if (answer !== null) {
  console.log(answer);
  process.exit(0);
}
const [first, ...rest] = argv;
if (isCommand(first)) {
  try {
    await (await commandModules[first]()).run(rest);
  } catch (err) {
    fail((err as Error).message);
  }
} else {
  await serve(argv);
}

async function serve(args: readonly string[]): Promise<void> {
  // The signing key a new database needs is made on another core while the server's modules load.
  prepareKeyPair();
  const { loadConfig } = await import('./config.ts');
  const loaded = loadConfig(args, process.env);
  if (loaded.kind === 'error') fail(loaded.message);
  // So are the seed's secrets hashed (scrypt, slow by design) before the seed is loaded.
  (await import('./seed/seed-secrets.ts')).prepareSeedSecrets(loaded.config.seed);
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
}

function fail(message: string): never {
  console.error(`teamgraph: ${message}`);
  process.exit(1);
}
