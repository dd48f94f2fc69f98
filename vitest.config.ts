import { defineConfig } from 'vitest/config'
import SlowFirstSequencer from './test/slow-first-sequencer.ts'

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
    // Each worker keeps its module graph between files: re-importing the app (pdf.js, fastify, forge,
    // drizzle…) for every one of ~70 files cost a third of the run. Files share no state but what they
    // open and close themselves.
    isolate: false,
    sequence: { sequencer: SlowFirstSequencer },
  },
})
