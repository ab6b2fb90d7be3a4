import { DEFAULT_ECOSYSTEMS, updateDatabase } from '@berth/scanner';
import type { Config } from './config.ts';

/** `berth vuln-db update`: downloads each ecosystem's OSV `all.zip`; exit code 0 when every one arrived, 1 otherwise. */
export async function updateVulnerabilityDatabase(config: Config, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const ecosystems = config.vulnDbEcosystems ?? [...DEFAULT_ECOSYSTEMS];
  out.write(`Updating the advisory database in ${config.vulnDbDir} from ${config.vulnDbUrl} (${ecosystems.join(', ')})\n`);
  const report = await updateDatabase({ dir: config.vulnDbDir, baseUrl: config.vulnDbUrl, ecosystems });
  for (const s of report.sources) out.write(`  ${s.ecosystem}: ${s.records} records, ${(s.bytes / 2 ** 20).toFixed(1)} MiB\n`);
  for (const f of report.failed) err.write(`  ${f.ecosystem}: not updated (${f.reason}); the previous copy, if any, is kept\n`);
  return report.failed.length === 0 ? 0 : 1;
}
