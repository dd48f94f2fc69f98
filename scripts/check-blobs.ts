/**
 * `npm run blobs:check`: re-reads every stored file a row points at and compares its size and SHA-256
 * with the row — the records fixity check (src/records/fixity) over everything at once, recorded as a
 * fixity run (GET /api/records/fixity) with its alerts. Prints each problem and exits 1 if there is any.
 * On the embedded database, stop the server first (the data directory is locked).
 */
import { runFixity } from '../src/records/fixity/fixity.service.ts'
import { openScriptPlatform } from './lib/script-platform.ts'

const platform = await openScriptPlatform('blobs:check')
const { config } = platform
let failures = 0
try {
  const report = await runFixity(platform, {
    cycleDays: config.records.fixityCycleDays,
    runsPerDay: 1,
    maxMbPerSecond: 100_000,
    everything: true,
    onProblem: ({ blobKey, problem }) => console.error(`BAD  ${blobKey}: ${problem}`),
  })
  failures = report.failures
  console.log(`checked ${report.blobsChecked} blobs, ${(report.bytesChecked / 1048576).toFixed(1)} MB in ${report.seconds.toFixed(1)} s (${report.mbPerSecond.toFixed(1)} MB/s): ${report.failures} problem(s)`)
} finally {
  await platform.close()
}
process.exit(failures > 0 ? 1 : 0)
