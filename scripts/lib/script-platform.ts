import { type Config, ConfigError, loadConfig, loadDotEnv } from '../../src/platform/config.ts'
import { DataDirLockedError } from '../../src/platform/db/data-dir-lock.ts'
import { openPlatform, type Platform } from '../../src/platform/platform.ts'

/**
 * What a script meets before it can work — a bad setting, or an embedded database held by a running
 * server — ends it with the one clear line the server prints (`vanthu <script>: …`), exit code 1, and
 * no stack trace. Anything else is a bug and keeps its stack.
 */
export function exitOnStartProblem(script: string, error: unknown): never {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(`vanthu ${script}: ${error.message}`)
    process.exit(1)
  }
  throw error
}

/** loadDotEnv + loadConfig, with a bad setting reported as one line. */
export function loadScriptConfig(script: string): Config {
  try {
    loadDotEnv()
    return loadConfig()
  } catch (error) {
    return exitOnStartProblem(script, error)
  }
}

/** openPlatform for a script: a locked data directory is reported as one line, as by the server. */
export async function openScriptPlatform(script: string, config: Config = loadScriptConfig(script)): Promise<Platform> {
  try {
    return await openPlatform(config)
  } catch (error) {
    return exitOnStartProblem(script, error)
  }
}
