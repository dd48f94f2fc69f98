import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/platform/config.ts'

describe('configuration', () => {
  it('GIVEN no variables WHEN loaded THEN the embedded defaults apply', () => {
    const config = loadConfig({}, '/srv/vanthu')
    expect(config.port).toBe(3000)
    expect(config.dataDir).toBe('/srv/vanthu/data')
    expect(config.databaseUrl).toBeUndefined()
    expect(config.storage).toEqual({ driver: 'local', root: path.join('/srv/vanthu/data', 'blobs') })
    expect(config.uploadMaxBytes).toBe(100 * 1024 * 1024)
    expect(config.workersInProcess).toBe(true)
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('GIVEN S3 variables WHEN loaded THEN the S3 store is configured from the endpoint URL', () => {
    const config = loadConfig({
      S3_ENDPOINT: 'https://minio.internal:9443',
      S3_ACCESS_KEY: 'svc',
      S3_SECRET_KEY: 'secret',
      S3_BUCKET: 'records',
    })
    expect(config.storage).toMatchObject({
      driver: 's3',
      endPoint: 'minio.internal',
      port: 9443,
      useSSL: true,
      bucket: 'records',
      region: 'us-east-1',
    })
  })

  it('GIVEN several bad values WHEN loaded THEN one error names every variable and what it expects', () => {
    let error: unknown
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', S3_ENDPOINT: 'http://s3:9000', WORKERS_IN_PROCESS: 'maybe' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    expect(problems).toContain('PORT="eighty": expected an integer from 0 to 65535')
    expect(problems).toContain('DATABASE_URL: expected a URL starting with postgres:// or postgresql://')
    expect(problems).toContain('S3_ACCESS_KEY is required')
    expect(problems).toContain('S3_SECRET_KEY is required')
    expect(problems).toContain('WORKERS_IN_PROCESS="maybe": expected true or false')
  })

  it('GIVEN an upload limit WHEN loaded THEN it is read in MiB', () => {
    expect(loadConfig({ UPLOAD_MAX_MB: '5' }).uploadMaxBytes).toBe(5 * 1024 * 1024)
    expect(() => loadConfig({ UPLOAD_MAX_MB: '0' })).toThrow(/UPLOAD_MAX_MB/)
  })
})
