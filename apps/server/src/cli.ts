import { ConfigError, loadConfig, start } from './main.ts';
import { updateVulnerabilityDatabase } from './vuln-db-command.ts';

/**
 * `npm start`: parse the environment, start Berth, stop cleanly on SIGTERM/SIGINT.
 * `npm start -- vuln-db update` (`berth vuln-db update`): download the advisory database
 * into BERTH_VULN_DB and exit; a running Berth loads the new one within a minute.
 */
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
  const [command, sub] = process.argv.slice(2);
  if (command !== undefined) {
    if (command === 'vuln-db' && sub === 'update') process.exit(await updateVulnerabilityDatabase(config, process.stdout, process.stderr));
    process.stderr.write(`unknown command: ${process.argv.slice(2).join(' ')}\nusage: berth [vuln-db update]\n`);
    process.exit(2);
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
