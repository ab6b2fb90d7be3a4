// `npm start`: runs the built server (or, with arguments, one of its commands such as
// `vuln-db update`); builds it first when the tree is not built yet.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';

const entry = 'apps/server/dist/cli.js';
if (!fs.existsSync(entry) || !fs.existsSync('apps/console/dist/index.html')) {
  console.log('Berth is not built yet: building it once (npm run build)…');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
