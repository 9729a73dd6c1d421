/**
 * The web app's build (`npm run build:web` at install: dist/, served by the API at `/`) and dev server
 * (`npm run dev`: hot reload on :5173, API calls proxied to a running `npm start` on :3000, or STORMOPS_API_URL).
 */
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';
import { mapOutlines } from './outlines.plugin';

const api = process.env.STORMOPS_API_URL ?? 'http://127.0.0.1:3000';
// Page navigations (GET for text/html) stay with the dev server; calls go to the API.
const toApi: ProxyOptions = {
  target: api,
  bypass: (req) =>
    req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') ? '/index.html' : undefined,
};

export default defineConfig({
  plugins: [react(), mapOutlines()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 600 },
  server: {
    port: 5173,
    proxy: {
      '/v1': { target: api },
      '/billing': toApi,
      '/onboarding': toApi,
      '/openapi.json': { target: api },
      '/healthz': { target: api },
    },
  },
});
