/**
 * A second process numbering documents on PostgreSQL (run with `node --import tsx`): argv = database
 * URL, issue date, document ids. Prints the numbers it got as JSON.
 */
import { eq } from 'drizzle-orm'
import { assignNumber } from '../../src/outgoing/numbering.service.ts'
import { findOutgoing } from '../../src/outgoing/outgoing.repository.ts'
import { openDatabase } from '../../src/platform/db/database.ts'
import { documents } from '../../src/platform/db/schema/index.ts'

const [url, issuedDate, ...ids] = process.argv.slice(2)
const database = await openDatabase({ url, migrate: false, poolSize: 10 })
try {
  const numbers = await Promise.all(
    ids.map((id) =>
      database.db.transaction(async (tx) => {
        const [document] = await tx.select().from(documents).where(eq(documents.id, id)).for('update')
        const outgoing = await findOutgoing(tx, id)
        return (await assignNumber(tx, document!, outgoing!, { issuedDate: issuedDate! })).outgoingNumber
      }),
    ),
  )
  process.stdout.write(JSON.stringify(numbers))
} finally {
  await database.close()
}
