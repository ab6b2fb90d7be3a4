// Vite for the console SPA (apps/console). `vite build` makes the browser's bundle in
// dist/; `vite build --ssr` makes the server's first render (src/entry-server.tsx) in
// dist/.ssr/ — one self-contained ES module Berth's server loads (a dot directory, so it
// is never served as a static file). The dev server proxies the API, the registry front
// door and the token service to a Berth server on :8080.
import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const consoleDir = path.resolve(import.meta.dirname, 'apps/console');
const backend = process.env.BERTH_DEV_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig(({ isSsrBuild }) => ({
  root: consoleDir,
  plugins: [react()],
  resolve: {
    alias: { '@': path.join(consoleDir, 'src') },
  },
  // Every dependency is bundled into the server's module: it needs nothing from node_modules,
  // and React's production build is chosen whatever NODE_ENV Berth runs with.
  ssr: { noExternal: true, target: 'node' },
  define: isSsrBuild ? { 'process.env.NODE_ENV': JSON.stringify('production') } : undefined,
  build: isSsrBuild
    ? {
        outDir: path.join(consoleDir, 'dist/.ssr'),
        emptyOutDir: true,
        target: 'node20',
        sourcemap: true,
        rollupOptions: {
          input: path.join(consoleDir, 'src/entry-server.tsx'),
          output: { entryFileNames: 'entry-server.js', codeSplitting: false },
        },
      }
    : {
        outDir: path.join(consoleDir, 'dist'),
        emptyOutDir: true,
        target: 'es2022',
        sourcemap: true,
        // dist/.vite/manifest.json: the chunk graph, for the benchmark's initial-JS figure.
        manifest: true,
      },
  server: {
    proxy: {
      '/api': backend,
      '/v2': backend,
      '/service': backend,
    },
  },
}));
