import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The analysts' console. `npx vite build --config apps/aml-console/vite.config.ts` writes
 * apps/aml-console/dist, which apps/aml serves at `/`. `npx vite --config ...` runs it in
 * development with /api proxied to the AML service (AML_URL, default http://localhost:3000).
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // one small app: a single chunk keeps the CSP simple and the first load to two requests
    chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': { target: process.env.AML_URL ?? 'http://localhost:3000', changeOrigin: false } },
  },
});
