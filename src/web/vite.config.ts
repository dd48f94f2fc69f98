import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/**
 * The web UI: `npx vite build --config src/web/vite.config.ts` writes dist/web, which the server
 * serves at `/` with index.html for every non-/api path. The output must run under
 * `script-src 'self'; style-src 'self'`: no inline scripts, no inline styles, no data: fonts.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: here('./public'),
  plugins: [react()],
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // The preload polyfill is an inline <script>; every browser we support has modulepreload.
    modulePreload: { polyfill: false },
    // Nothing becomes a data: URL: fonts and styles from data: would break under the CSP.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    // `npx vite --config src/web/vite.config.ts` during development, with the API on :3000.
    port: 5173,
    proxy: { '/api': 'http://localhost:3000' },
  },
})
