import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores, but test files spend much of their time waiting (child servers, Chromium, the PostgreSQL
    // server, login delays): a third file keeps both cores busy. PGlite instances are heavy, so no more.
    maxWorkers: 3,
  },
})
