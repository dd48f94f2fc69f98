/**
 * `npm run build:web`: builds the web UI into dist/web. With --if-stale (used by `npm start`) it does
 * nothing when dist/web is newer than every source file, so a start stays fast.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const source = path.join(root, 'src/web')
const built = path.join(root, 'dist/web/index.html')

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs)
  }
  return newest
}

function builtMtime(): number {
  try {
    return statSync(built).mtimeMs
  } catch {
    return 0
  }
}

if (process.argv.includes('--if-stale')) {
  let sourceTime = 0
  try {
    sourceTime = newestMtime(source)
  } catch {
    process.exit(0) // no UI sources in this checkout
  }
  if (builtMtime() > sourceTime) process.exit(0)
}
const vite = path.join(root, 'node_modules/vite/bin/vite.js')
const result = spawnSync(process.execPath, [vite, 'build', '--config', path.join(source, 'vite.config.ts'), '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
