import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, open, rm } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export interface SpooledFile {
  path: string
  sha256: string
  size: number
}

/**
 * Streams a body to a temporary file while hashing it, then fsyncs it. Memory stays flat whatever the
 * size. On any stream error the temporary file is removed and the error rethrown.
 */
export async function spoolToTempFile(body: Readable, tmpDir: string): Promise<SpooledFile> {
  await mkdir(tmpDir, { recursive: true })
  const tmpPath = path.join(tmpDir, `${randomUUID()}.part`)
  const hash = createHash('sha256')
  let size = 0
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      size += chunk.length
      callback(null, chunk)
    },
  })
  try {
    await pipeline(body, meter, createWriteStream(tmpPath, { flags: 'wx' }))
    const handle = await open(tmpPath, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch (error) {
    await rm(tmpPath, { force: true })
    throw error
  }
  return { path: tmpPath, sha256: hash.digest('hex'), size }
}
