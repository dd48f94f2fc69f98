/**
 * `npm run seed:demo`: a living fictional agency — Ủy ban nhân dân tỉnh Hòa Giang, its units and people
 * (scripts/lib/demo-agency.ts), signing that works at once (test PKI, demo PIN, offline CRLs), incoming
 * documents in every state of handling, outgoing documents from drafts to issued, revoked and copied — made through the services and the API as
 * its people would, so the audit chain, timelines, search index, jobs and notifications agree.
 *
 * Run it with the server stopped (the embedded database admits one process); safe to run twice. It waits
 * for the text extraction (OCR of the scans) and signature checks it queued, unless --no-wait.
 *
 *   VANTHU_DEMO_PASSWORD  the demo users' password (random ones are printed when unset)
 *   VANTHU_DEMO_PIN       the signing PIN of the leader's certificate and the agency seal (printed when unset)
 *   VANTHU_ADMIN_PASSWORD the admin's password, when the admin is created now or nobody has signed in as admin yet
 *
 * Sections live in scripts/lib/seed-<area>.ts and take the DemoContext (scripts/lib/demo-context.ts);
 * add one call line below for a new one.
 */
import { randomInt } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { buildApp } from '../src/app.ts'
import { checkPasswordPolicy } from '../src/auth/passwords.ts'
import { defineJobs } from '../src/jobs.ts'
import { adminPasswordNotice, bootstrapAdmin } from '../src/organisation/bootstrap.ts'
import { PIN_MIN_LENGTH } from '../src/signatures/credentials/pin-seal.ts'
import { DEMO_PEOPLE } from './lib/demo-agency.ts'
import { openScriptPlatform } from './lib/script-platform.ts'
import { closeDemoContext, openDemoContext } from './lib/seed-organisation.ts'
import { seedIncoming } from './lib/seed-incoming.ts'
import { seedOutgoingDrafts } from './lib/seed-outgoing-drafts.ts'
import { seedOutgoingIssued } from './lib/seed-outgoing-issued.ts'
import { seedRecords } from './lib/seed-records.ts'
import { seedSigning } from './lib/seed-signing.ts'
import { waitForDemoJobs } from './lib/seed-jobs.ts'

const demoPassword = process.env.VANTHU_DEMO_PASSWORD || undefined
const pinGiven = process.env.VANTHU_DEMO_PIN || undefined
const pin = pinGiven ?? String(randomInt(0, 1_000_000)).padStart(6, '0')
const wait = !process.argv.includes('--no-wait')

// Refuse a password or PIN the policy would refuse, before anything is written.
if (demoPassword) {
  const usernames = Object.values(DEMO_PEOPLE).map((person) => person.username)
  const problems = usernames.flatMap((username) => checkPasswordPolicy(demoPassword, { username }))
  if (problems.length > 0) {
    console.error(`VANTHU_DEMO_PASSWORD: ${[...new Set(problems.map((p) => p.messageEn))].join(' ')}`)
    process.exit(1)
  }
}
if ([...pin].length < PIN_MIN_LENGTH) {
  console.error(`VANTHU_DEMO_PIN: at least ${PIN_MIN_LENGTH} characters.`)
  process.exit(1)
}

const platform = await openScriptPlatform('seed:demo')
const say = (line: string) => console.log(line)
try {
  defineJobs(platform)
  // With the workers on, the scans are read while the rest is seeded.
  await platform.jobs.start({ work: wait })
  const app = await buildApp({ platform, closePlatformWithApp: false, logger: false })
  await app.ready()
  const boot = await bootstrapAdmin(platform.database, platform.config.auth.adminPassword)
  const notice = adminPasswordNotice(boot)
  if (notice) say(notice)
  const corpus = path.resolve(import.meta.dirname, '../../shared/corpus/docs')
  const { ctx, people, tokens } = await openDemoContext(app, platform, {
    demoPassword,
    pin,
    corpusDir: existsSync(corpus) ? corpus : undefined,
    say,
  })
  say(
    people.created.length > 0
      ? `Agency ${ctx.agency.name}: ${Object.keys(ctx.units).length} units, ${people.created.length} people created.`
      : `Agency ${ctx.agency.name}: its people exist already.`,
  )
  let signingCreated = false
  try {
    signingCreated = await seedSigning(ctx)
    await seedIncoming(ctx)
    await seedOutgoingDrafts(ctx)
    await seedOutgoingIssued(ctx)
    say(await seedRecords(platform))
    // Further sections go here, one line each.
  } finally {
    await closeDemoContext(platform, ctx, tokens)
    await app.close()
  }
  if (wait) await waitForDemoJobs(platform, say)
  else say('Text extraction and signature checks were queued: the server does them when it starts.')

  const lines: string[] = []
  if (boot.generatedPassword) lines.push(`  admin         ${boot.generatedPassword}`)
  for (const [username, password] of Object.entries(people.randomPasswords)) lines.push(`  ${username.padEnd(13)} ${password}`)
  if (lines.length > 0) say(`\nPasswords (shown once):\n${lines.join('\n')}`)
  else if (demoPassword && people.created.length > 0) say('Demo users sign in with the password from VANTHU_DEMO_PASSWORD.')
  if (signingCreated)
    say(`Signing PIN (leader's certificate and agency seal): ${pinGiven ? 'the one from VANTHU_DEMO_PIN' : pin}`)
  else say('Signing PIN: the one given (or printed) when the signing was set up.')
  say('Start the server with `npm start` and sign in at http://localhost:3000/ (the README lists what to try).')
} finally {
  await platform.close()
}
