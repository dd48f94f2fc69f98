/**
 * What durability costs on the embedded database, and whether it is there at all:
 * `npm run bench:durability -- [--commits 300]`.
 *
 * PGlite starts PostgreSQL with `-F` (fsync off). This runs the same commits on a data directory with
 * PGlite's defaults and with `-F` removed (`fsync=on`), prints the latency per commit of each, and —
 * when `strace` is installed — counts the fsync/fdatasync system calls each made. On PGlite 0.5 the
 * count is 0 either way: the WebAssembly file system writes every page through pwrite at commit (so a
 * killed process loses nothing the OS has), but never asks the disk to flush, whatever PostgreSQL's
 * setting says. The README's "Durability" paragraph states the guarantee this measures.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PGlite } from '@electric-sql/pglite'

const { values: flags } = parseArgs({
  options: { commits: { type: 'string', default: '300' }, child: { type: 'string' } },
})
const commits = Number(flags.commits)

/** One measured run, in this process: `--child on|off`. */
async function measure(fsync: boolean): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `vanthu-durability-${fsync ? 'on' : 'off'}-`))
  try {
    const startParams = PGlite.defaultStartParams.filter((param) => !(fsync && param === '-F'))
    const db = await PGlite.create(dir, { startParams })
    await db.exec('create table registrations (id serial primary key, body text)')
    const started = performance.now()
    for (let i = 0; i < commits; i++) await db.query('insert into registrations (body) values ($1)', ['x'.repeat(400)])
    const perCommit = (performance.now() - started) / commits
    const setting = (await db.query<{ fsync: string }>('show fsync')).rows[0]?.fsync
    await db.close()
    console.log(JSON.stringify({ fsync: setting, perCommitMs: Number(perCommit.toFixed(3)) }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (flags.child) {
  await measure(flags.child === 'on')
} else {
  const hasStrace = spawnSync('strace', ['-V']).error === undefined
  console.log(`bench:durability: ${commits} single-row commits per mode, load average ${os.loadavg()[0]!.toFixed(2)}`)
  for (const mode of ['off', 'on'] as const) {
    const childArgs = ['--import', 'tsx', import.meta.filename, '--child', mode, '--commits', String(commits)]
    const summary = path.join(os.tmpdir(), `vanthu-durability-strace-${process.pid}-${mode}.txt`)
    const run = hasStrace
      ? spawnSync('strace', ['-f', '-c', '-o', summary, '-e', 'trace=fsync,fdatasync,sync_file_range', process.execPath, ...childArgs], { encoding: 'utf8' })
      : spawnSync(process.execPath, childArgs, { encoding: 'utf8' })
    if (run.status !== 0) {
      console.error(run.stderr)
      process.exit(1)
    }
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { fsync: string; perCommitMs: number }
    let flushes = 'not counted (strace missing)'
    if (hasStrace) {
      const calls = readFileSync(summary, 'utf8')
        .split('\n')
        .filter((line) => /\b(fsync|fdatasync|sync_file_range)\b/.test(line))
        .reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[3] ?? 0), 0)
      rmSync(summary, { force: true })
      flushes = String(calls)
    }
    console.log(`  fsync=${result.fsync}: ${result.perCommitMs} ms per commit, fsync/fdatasync calls: ${flushes}`)
  }
}
