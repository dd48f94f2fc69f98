/**
 * `npm run bench:audit-verify [-- CHECKPOINTS [EVENTS_PER_CHECKPOINT]]`: what checking the audit chain
 * against its signed checkpoints costs (GET /api/audit/verify), on a scratch in-memory PGlite. Prints
 * the time to make the checkpoints, a first verification (every signature checked) and a second one
 * (signatures already checked in this process are remembered). Defaults: 200 checkpoints, 4 events each.
 */
import { randomBytes } from 'node:crypto'
import { appendAuditEvent, verifyAuditChain } from '../src/audit/audit.service.ts'
import { createCheckpoint } from '../src/audit/checkpoints/checkpoints.service.ts'
import { SecretBox } from '../src/auth/secrets.ts'
import { openDatabase } from '../src/platform/db/database.ts'

const checkpoints = Number(process.argv[2] ?? 200)
const eventsEach = Number(process.argv[3] ?? 4)
const database = await openDatabase({})
const deps = { database, secretBox: new SecretBox(randomBytes(32)) }
try {
  let started = performance.now()
  for (let i = 0; i < checkpoints; i++) {
    for (let j = 0; j < eventsEach; j++) {
      await database.db.transaction((tx) => appendAuditEvent(tx, { actor: 'user:bench' }, { action: 'bench.event', targetType: 'bench', details: { i, j } }))
    }
    await createCheckpoint(deps, { actor: 'user:bench' })
  }
  const made = performance.now() - started
  console.log(`made ${checkpoints} checkpoints over ${checkpoints * (eventsEach + 1)} events: ${(made / checkpoints).toFixed(1)} ms per checkpoint (with its events)`)
  for (const label of ['first verification (every signature checked)', 'second verification (signatures remembered)']) {
    started = performance.now()
    const verdict = await verifyAuditChain(database, { secretBox: deps.secretBox })
    const ms = performance.now() - started
    console.log(`${label}: ${ms.toFixed(0)} ms, ${(ms / checkpoints).toFixed(2)} ms per checkpoint; ${JSON.stringify(verdict)}`)
  }
} finally {
  await database.close()
}
