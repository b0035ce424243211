import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the orchestrator at /console (same origin as the API): every asset URL starts there, and nothing is
// loaded from another origin (no CDN, no web font: the system font stack).
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
