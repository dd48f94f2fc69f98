import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The project's root directory (where package.json is), found from this file whether it runs from
 * src/ (tsx, tests) or from the compiled dist/server/.
 */
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'migrations'))) {
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('vanthu: cannot find the project root (package.json and migrations/)')
    dir = parent
  }
  return dir
}

export const PROJECT_ROOT = findProjectRoot()
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations')
export const WEB_DIST_DIR = path.join(PROJECT_ROOT, 'dist', 'web')
