import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/server-process.ts'

/**
 * Pins the search quality reached on the shared corpus (issue 5 §6): `npm run search:quality` registers
 * the 24 born-digital PDFs through the API, lets the real jobs extract and index them, and runs the 30
 * judged queries. Measured 2026-11-27: recall@10 1.000, MRR 0.983 — the floors leave a little room.
 */
const scratch = await mkdtemp(path.join(os.tmpdir(), 'vanthu-search-quality-test-'))
afterAll(() => rm(scratch, { recursive: true, force: true }))

it('GIVEN the 24 born-digital corpus documents WHEN the 30 judged queries run through GET /api/search THEN recall@10 ≥ 0.97 and MRR ≥ 0.93', async () => {
  const out = path.join(scratch, 'figures.json')
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'scripts/search-quality.ts', '--json', out],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      maxBuffer: 16 * 1024 * 1024,
    },
  )
  const figures = JSON.parse(await readFile(out, 'utf8')) as {
    queries: number
    recallAt10: number
    mrr: number
  }
  expect(figures.queries).toBe(30)
  expect(figures.recallAt10).toBeGreaterThanOrEqual(0.97)
  expect(figures.mrr).toBeGreaterThanOrEqual(0.93)
}, 180_000)
