// Bundles the server (and the workspace packages it uses) into dist/cli.js and
// dist/registry-worker.js;
// npm dependencies stay external and load from node_modules: every one the bundle imports,
// the workspace packages' included, is a dependency of apps/server, so npm installs it where
// dist/ finds it (in apps/server/node_modules when the root holds another version).
import { build } from 'esbuild';

// The embedded registry's worker thread is its own entry, loaded beside cli.js.
await build({
  entryPoints: { cli: 'src/cli.ts', 'registry-worker': '../../packages/registry/src/worker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-npm',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@berth/') ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
