/**
 * `npm run blobs:check`: re-reads every stored file a row points at and compares its size and SHA-256
 * with the row. Prints each problem and exits 1 if there is any. On the embedded database, stop the
 * server first (the data directory is locked).
 */
import { createHash } from 'node:crypto'
import { asc, gt } from 'drizzle-orm'
import { documentFiles } from '../src/platform/db/schema/index.ts'
import { openScriptPlatform } from './lib/script-platform.ts'

const platform = await openScriptPlatform('blobs:check')
const { database, blobStore } = platform
let checked = 0
let problems = 0
const verified = new Map<string, boolean>()
let after = '00000000-0000-0000-0000-000000000000'
try {
  for (;;) {
    const rows = await database.db
      .select()
      .from(documentFiles)
      .where(gt(documentFiles.id, after))
      .orderBy(asc(documentFiles.id))
      .limit(500)
    for (const row of rows) {
      checked++
      const ok = verified.get(row.blobKey) ?? (await verify(row.blobKey, row.sha256, row.size))
      verified.set(row.blobKey, ok)
      if (!ok) {
        problems++
        console.error(`BAD  file ${row.id} of document ${row.documentId}: ${row.blobKey}`)
      }
    }
    if (rows.length < 500) break
    after = rows.at(-1)!.id
  }
  console.log(`checked ${checked} file rows over ${verified.size} blobs: ${problems} problem(s)`)
} finally {
  await platform.close()
}
process.exit(problems > 0 ? 1 : 0)

async function verify(key: string, sha256: string, size: number): Promise<boolean> {
  const info = await blobStore.stat(key)
  if (!info) return report(key, 'missing')
  if (info.size !== size) return report(key, `size ${info.size}, expected ${size}`)
  const hash = createHash('sha256')
  for await (const chunk of await blobStore.get(key)) hash.update(chunk as Buffer)
  const actual = hash.digest('hex')
  return actual === sha256 || report(key, `sha256 ${actual}, expected ${sha256}`)
}

function report(key: string, problem: string): false {
  console.error(`     ${key}: ${problem}`)
  return false
}
