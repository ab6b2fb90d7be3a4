import { ConfigError, loadConfig, start } from './main.ts';

/** `npm start`: parse the environment, start Berth, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const berth = await start(config);
  process.stdout.write(`Berth console and registry: ${berth.publicUrl}\n`);
  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    process.stdout.write(`${signal}: stopping Berth\n`);
    berth.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Berth failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
