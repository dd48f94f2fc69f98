/**
 * `npm run bench:records`: package export time and size for a 100-document hồ sơ, and fixity
 * throughput (MB/s, unthrottled and at the configured FIXITY_MAX_MB_PER_SECOND), on a fresh embedded
 * instance in a temporary DATA_DIR. Prints its figures and one summary line.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { findUserByUsername } from '../src/auth/auth.repository.ts'
import { actorOf } from '../src/auth/auth.service.ts'
import { createDocument, stageUpload } from '../src/documents/documents.service.ts'
import { defineJobs } from '../src/jobs.ts'
import { bootstrapAdmin } from '../src/organisation/bootstrap.ts'
import * as organisation from '../src/organisation/organisation.service.ts'
import { loadConfig } from '../src/platform/config.ts'
import { openPlatform } from '../src/platform/platform.ts'
import { closeRecordFile, fileDocumentInto } from '../src/records/files/record-file-lifecycle.ts'
import { createRecordFile } from '../src/records/files/record-files.service.ts'
import { runFixity } from '../src/records/fixity/fixity.service.ts'
import { exportPackage } from '../src/records/package/eark-package.ts'

const COUNT = Number(process.env.BENCH_DOCUMENTS ?? 100)
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-bench-records-'))
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' })
const platform = await openPlatform(config)
const context = { actor: 'system:bench' }
defineJobs(platform)
await platform.jobs.start({ work: false })
try {
  await bootstrapAdmin(platform.database, 'Quản trị thử nghiệm 2026 dài')
  const admin = actorOf((await findUserByUsername(platform.database.db, 'admin'))!, { kind: 'session', sessionId: 'bench' })
  const office = await organisation.createDepartment(platform, admin, { name: 'Văn phòng', abbreviation: 'VP' }, context)
  await organisation.createUser(platform, admin, { username: 'vanthu', fullName: 'Văn thư', roles: ['clerk', 'leader'], departmentId: office.id, clearance: 0, password: 'Mật khẩu thử nghiệm đủ dài' }, context)
  const clerk = actorOf((await findUserByUsername(platform.database.db, 'vanthu'))!, { kind: 'session', sessionId: 'bench' })
  const corpus = path.resolve(import.meta.dirname, '../../shared/corpus/docs')
  const pdfs = await Promise.all(['001', '002', '003', '004', '005'].map((n) => readFile(path.join(corpus, `${n}.pdf`))))
  const ids: string[] = []
  for (let i = 0; i < COUNT; i++) {
    const bytes = Buffer.concat([pdfs[i % pdfs.length]!, Buffer.from(`\n% bench ${i}\n`)])
    const staged = await stageUpload(platform, { stream: Readable.from([bytes]), fileName: `vb-${i}.pdf`, contentType: 'application/pdf', onTruncated: () => {} })
    const created = await createDocument(platform, clerk, { direction: 'incoming', kind: 'Công văn', subject: `Văn bản thử ${i}`, urgency: 0, secrecy: 0, language: 'vi' } as never, staged, context)
    ids.push(created.document.id)
  }
  const file = await createRecordFile(platform, clerk, { year: 2026, notation: '01.VP', title: 'Hồ sơ đo hiệu năng', permanent: true, retentionReason: 'Đo' }, context)
  await fileDocumentInto(platform, clerk, file.id, ids, context)
  await closeRecordFile(platform, clerk, file.id, context)
  const started = Date.now()
  const { stream } = await exportPackage(platform, clerk, [file.id], context)
  let size = 0
  for await (const chunk of stream) size += (chunk as Buffer).length
  const exportMs = Date.now() - started
  const fast = await runFixity(platform, { cycleDays: 30, runsPerDay: 1, maxMbPerSecond: 100_000, everything: true })
  const limited = await runFixity(platform, { cycleDays: 30, runsPerDay: 1, maxMbPerSecond: config.records.fixityMaxMbPerSecond, everything: true })
  console.log(`package: ${COUNT} documents, ${(size / 1048576).toFixed(2)} MB zip in ${exportMs} ms`)
  console.log(`fixity unthrottled: ${fast.blobsChecked} blobs, ${(fast.bytesChecked / 1048576).toFixed(2)} MB at ${fast.mbPerSecond.toFixed(1)} MB/s`)
  console.log(`fixity at FIXITY_MAX_MB_PER_SECOND=${config.records.fixityMaxMbPerSecond}: ${limited.mbPerSecond.toFixed(1)} MB/s`)
  console.log(`bench:records package ${exportMs} ms / ${(size / 1048576).toFixed(2)} MB for ${COUNT} docs; fixity ${fast.mbPerSecond.toFixed(1)} MB/s (limit ${config.records.fixityMaxMbPerSecond} MB/s); load ${os.loadavg()[0]!.toFixed(1)}`)
} finally {
  await platform.close()
  await rm(dataDir, { recursive: true, force: true })
}
