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

  it('GIVEN SMTP_URL and SMTP_FROM WHEN loaded THEN e-mail is configured; without SMTP_URL it is off', () => {
    const config = loadConfig({
      SMTP_URL: 'smtps://mailer:secret@mail.example.gov.vn:465',
      SMTP_FROM: 'Văn thư <vanthu@example.gov.vn>',
      PUBLIC_URL: 'https://vanthu.example.gov.vn/',
    })
    expect(config.email).toEqual({ smtpUrl: 'smtps://mailer:secret@mail.example.gov.vn:465', from: 'Văn thư <vanthu@example.gov.vn>' })
    expect(config.publicUrl).toBe('https://vanthu.example.gov.vn')
    expect(loadConfig({ SMTP_FROM: 'vanthu@example.gov.vn' }).email).toBeUndefined()
  })

  it('GIVEN SMTP_URL without SMTP_FROM, or a bad one WHEN loaded THEN start-up is refused naming the variables', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.gov.vn:587' })).toThrow(/SMTP_FROM is required when SMTP_URL is set/)
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail:25', SMTP_FROM: 'not an address' })).toThrow(/SMTP_FROM="not an address"/)
    // The URL may hold a password: the message names the variable, never the value.
    expect(() => loadConfig({ SMTP_URL: 'http://mailer:secret@mail', SMTP_FROM: 'a@b.vn' })).toThrow(/^(?![\s\S]*secret)[\s\S]*SMTP_URL: expected a URL starting with smtp:\/\/ or smtps:\/\//)
  })
  it('GIVEN the revocation settings WHEN loaded THEN online verification is on by default, and the older CRL timeout name still counts', () => {
    expect(loadConfig({}).signing).toMatchObject({ verifyOnline: true, revocationTimeoutMs: 5_000, ltv: false })
    expect(loadConfig({ SIGNING_VERIFY_ONLINE: 'false' }).signing.verifyOnline).toBe(false)
    expect(loadConfig({ SIGNING_CRL_TIMEOUT_MS: '2000' }).signing.revocationTimeoutMs).toBe(2_000)
    expect(
      loadConfig({ SIGNING_CRL_TIMEOUT_MS: '2000', SIGNING_REVOCATION_TIMEOUT_MS: '3000' }).signing.revocationTimeoutMs,
    ).toBe(3_000)
    expect(() => loadConfig({ SIGNING_REVOCATION_TIMEOUT_MS: '5' })).toThrow(/SIGNING_REVOCATION_TIMEOUT_MS/)
  })

  it('GIVEN AUDIT_CHECKPOINT_CRON WHEN loaded THEN hourly by default, a cron when given, none with off; a bad one is refused', () => {
    expect(loadConfig({}).audit.checkpointCron).toBe('0 * * * *')
    expect(loadConfig({ AUDIT_CHECKPOINT_CRON: '*/15 * * * *' }).audit.checkpointCron).toBe('*/15 * * * *')
    expect(loadConfig({ AUDIT_CHECKPOINT_CRON: 'OFF' }).audit.checkpointCron).toBeUndefined()
    expect(() => loadConfig({ AUDIT_CHECKPOINT_CRON: 'hourly' })).toThrow(/AUDIT_CHECKPOINT_CRON/)
  })
})
