// Runs Berth's embedded registry alone, in its own process (as distribution runs in its
// own), for `BENCH_ONLY=registry`: `node --import tsx bench/embedded-registry.ts ROOT`.
import { startRegistry } from '@berth/registry';

const root = process.argv[2];
if (!root) throw new Error('usage: embedded-registry.ts ROOT');
const registry = await startRegistry({ root });
console.log(`listening on ${registry.url}`);
process.on('SIGTERM', () => void registry.close(2000).then(() => process.exit(0)));
