import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A loaded 2-core CI box can take seconds to answer a click; expect.poll's 1 s default made
    // browser steps flaky (a routing status read before its refetch landed).
    expect: { poll: { timeout: 15_000, interval: 100 } },
    // Two cores: PGlite instances are heavy, so keep parallel files modest.
    maxWorkers: 2,
  },
})
