/**
 * `npm run seed:demo`: a fictional agency to explore — departments, positions, one user per role
 * (vanthu, lanhdao, chuyenvien, luutru) and the corpus documents registered as incoming documents.
 * Run it before `npm start` (the embedded database admits one process). Safe to run twice.
 */
import { randomBytes } from 'node:crypto'
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { actorOf } from '../src/auth/auth.service.ts'
import { findUserByUsername } from '../src/auth/auth.repository.ts'
import { checkPasswordPolicy } from '../src/auth/passwords.ts'
import { parseDocumentFields, SECRECY_LEVELS, URGENCY_LEVELS } from '../src/documents/document-fields.ts'
import { createDocument, stageUpload } from '../src/documents/documents.service.ts'
import { defineJobs } from '../src/jobs.ts'
import { bootstrapAdmin } from '../src/organisation/bootstrap.ts'
import * as organisation from '../src/organisation/organisation.service.ts'
import { loadConfig, loadDotEnv } from '../src/platform/config.ts'
import { agencies, documentFiles } from '../src/platform/db/schema/index.ts'
import { openScriptPlatform } from './lib/script-platform.ts'
import { seedRecords } from './lib/seed-records.ts'

loadDotEnv()
const config = loadConfig()
const context = { actor: 'system:seed-demo' }
const demoPassword = process.env.VANTHU_DEMO_PASSWORD
const printed: string[] = []
const DEMO_USERNAMES = ['vanthu', 'lanhdao', 'chuyenvien', 'luutru']

// Refuse a demo password the policy would refuse, before anything is written.
if (demoPassword) {
  const problems = DEMO_USERNAMES.flatMap((username) => checkPasswordPolicy(demoPassword, { username }))
  if (problems.length > 0) {
    console.error(`VANTHU_DEMO_PASSWORD: ${[...new Set(problems.map((p) => p.messageEn))].join(' ')}`)
    process.exit(1)
  }
}

const platform = await openScriptPlatform('seed:demo', config)
defineJobs(platform)
await platform.jobs.start({ work: false })

try {
  const boot = await bootstrapAdmin(platform.database, config.auth.adminPassword)
  if (boot.generatedPassword) printed.push(`admin       ${boot.generatedPassword}`)
  const admin = (await findUserByUsername(platform.database.db, 'admin'))!
  const adminActor = actorOf(admin, { kind: 'session', sessionId: 'seed' })

  if (await findUserByUsername(platform.database.db, 'vanthu')) {
    console.log('Demo users already exist: nothing to add.')
  } else {
    await platform.database.db
      .update(agencies)
      .set({ name: 'Ủy ban nhân dân tỉnh Hòa Giang', abbreviation: 'UBND', organId: '000.00.00.H99' })
      .where(eq(agencies.id, admin.agencyId))
    const department = (name: string, abbreviation: string) =>
      organisation.createDepartment(platform, adminActor, { name, abbreviation }, context)
    const office = await department('Văn phòng', 'VP')
    const economy = await department('Phòng Kinh tế', 'KT')
    await department('Phòng Tổng hợp', 'TH')
    await department('Phòng Nội chính', 'NC')
    const position = (name: string) => organisation.createPosition(platform, adminActor, { name }, context)
    const chairman = await position('Chủ tịch')
    await position('Phó Chủ tịch')
    await position('Chánh Văn phòng')
    const officerPosition = await position('Chuyên viên')
    const clerkPosition = await position('Văn thư')
    const archivistPosition = await position('Lưu trữ viên')
    const people = [
      ['vanthu', 'Nguyễn Thị Thu Hà', ['clerk'], office.id, clerkPosition.id, 1],
      ['lanhdao', 'Trần Văn Minh', ['leader'], office.id, chairman.id, 3],
      ['chuyenvien', 'Lê Thị Hồng Nhung', ['officer'], economy.id, officerPosition.id, 0],
      ['luutru', 'Phạm Văn Đức', ['archivist'], office.id, archivistPosition.id, 0],
    ] as const
    for (const [username, fullName, roles, departmentId, positionId, clearance] of people) {
      const password = demoPassword ?? randomBytes(12).toString('base64url')
      await organisation.createUser(
        platform,
        adminActor,
        { username, fullName, roles: [...roles], departmentId, positionId, clearance, password },
        context,
      )
      if (!demoPassword) printed.push(`${username.padEnd(11)} ${password}`)
    }
    console.log('Created the agency, 4 departments, 6 positions and the users vanthu, lanhdao, chuyenvien, luutru.')
  }

  const registered = await registerCorpus()
  console.log(`Corpus documents stored: ${registered} new.`)
  console.log(await seedRecords(platform))
  if (printed.length > 0) console.log(`\nPasswords (shown once):\n${printed.join('\n')}`)
  else if (demoPassword) console.log('Users sign in with the password from VANTHU_DEMO_PASSWORD.')
} finally {
  await platform.close()
}

/** The fictional documents of ../shared/corpus, as incoming documents received by the Văn phòng clerk. */
async function registerCorpus(): Promise<number> {
  const docs = path.resolve(import.meta.dirname, '../../shared/corpus/docs')
  if (!existsSync(docs)) return 0
  const clerk = (await findUserByUsername(platform.database.db, 'vanthu'))!
  const actor = actorOf(clerk, { kind: 'session', sessionId: 'seed' })
  let count = 0
  for (const name of readdirSync(docs).filter((n) => /^\d{3}\.meta\.json$/.test(n)).sort()) {
    const meta = JSON.parse(readFileSync(path.join(docs, name), 'utf8'))
    const file = path.join(docs, `${meta.id}.pdf`)
    const staged = await stageUpload(platform, {
      stream: createReadStream(file),
      fileName: `${meta.number_notation.replace(/\//g, '-')}.pdf`,
      contentType: 'application/pdf',
      onTruncated: () => {},
    })
    const known = await platform.database.db.select().from(documentFiles).where(eq(documentFiles.sha256, staged.blob.sha256))
    if (known.length > 0) continue
    const fields = parseDocumentFields(
      {
        direction: 'incoming',
        kind: meta.kind,
        numberNotation: meta.number_notation,
        issuedDate: meta.issued_date,
        issuerName: meta.issuer,
        subject: meta.subject.slice(0, 500),
        signerName: meta.signer_name,
        signerPosition: meta.signer_title,
        urgency: String(Math.max(0, URGENCY_LEVELS.indexOf(meta.urgency ?? 'Thường'))),
        secrecy: String(Math.max(0, SECRECY_LEVELS.indexOf(meta.secrecy ?? 'Thường'))),
        arrivalDate: meta.issued_date,
      },
      '9999-12-31',
    )
    if (!fields.ok) throw new Error(`${name}: ${JSON.stringify(fields.errors)}`)
    await createDocument(platform, actor, fields.value, staged, context)
    count++
  }
  return count
}
