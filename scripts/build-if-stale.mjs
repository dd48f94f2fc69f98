/**
 * `npm start` / `npm run worker` run this first: it compiles the server (tsc into dist/server) and builds
 * the web UI (vite into dist/web) only when a source is newer than the build, so a start with nothing
 * changed costs a directory walk, not a compilation. Plain JavaScript on purpose: it runs with `node`
 * directly, without the TypeScript loader's own start-up time.
 *
 *   node scripts/build-if-stale.mjs            server and web UI
 *   node scripts/build-if-stale.mjs --server   the server only (npm run worker)
 *   node scripts/build-if-stale.mjs --force    build both whatever their age
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const force = process.argv.includes('--force')
const serverOnly = process.argv.includes('--server')

/** Newest modification time of the files under `dir` (0 when it does not exist), skipping `skip`. */
function newestMtime(dir, skip = () => false) {
  if (!existsSync(dir)) return 0
  let newest = 0
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name)
    if (entry.isFile() && !skip(full)) newest = Math.max(newest, statSync(full).mtimeMs)
  }
  return newest
}

const mtimeOf = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0)

/** Runs a build step; exits with its status when it fails. */
function run(label, args) {
  const started = Date.now()
  console.log(`vanthu: ${label}…`)
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
  console.log(`vanthu: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

// The server: every source outside src/web, the compiler settings and the installed packages.
const webDir = path.join(root, 'src/web')
const serverStamp = path.join(root, 'dist/server/.built')
const serverSources = Math.max(
  newestMtime(path.join(root, 'src'), (file) => file.startsWith(webDir + path.sep)),
  mtimeOf(path.join(root, 'tsconfig.json')),
  mtimeOf(path.join(root, 'tsconfig.build.json')),
  mtimeOf(path.join(root, 'package-lock.json')),
)
if (force || !existsSync(path.join(root, 'dist/server/server.js')) || mtimeOf(serverStamp) < serverSources) {
  run('compiling the server (dist/server)', [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'])
  // tsc leaves unchanged outputs alone: the stamp says when the build was last made whole.
  mkdirSync(path.dirname(serverStamp), { recursive: true })
  writeFileSync(serverStamp, `${new Date().toISOString()}\n`)
}

// The web UI: its sources and the packages it is built from.
if (!serverOnly && existsSync(webDir)) {
  const webStamp = path.join(root, 'dist/web/index.html')
  const webSources = Math.max(newestMtime(webDir), mtimeOf(path.join(root, 'package-lock.json')))
  if (force || mtimeOf(webStamp) < webSources) {
    run('building the web UI (dist/web)', [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      path.join(webDir, 'vite.config.ts'),
      '--logLevel',
      'warn',
    ])
  }
}
