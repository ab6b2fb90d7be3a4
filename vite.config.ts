// Vite for the console SPA (apps/console). The dev server proxies the API, the
// registry front door and the token service to a Berth server on :8080.
import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const consoleDir = path.resolve(import.meta.dirname, 'apps/console');
const backend = process.env.BERTH_DEV_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: consoleDir,
  plugins: [react()],
  resolve: {
    alias: { '@': path.join(consoleDir, 'src') },
  },
  build: {
    outDir: path.join(consoleDir, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': backend,
      '/v2': backend,
      '/service': backend,
    },
  },
});
