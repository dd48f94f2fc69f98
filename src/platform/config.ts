import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * The service's whole configuration, parsed once from the environment at boot.
 * Nothing else in src/ reads process.env: pass this object (or a part of it) instead.
 */
export interface Config {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** PostgreSQL connection string; undefined = embedded PGlite under dataDir/pg. */
  readonly databaseUrl: string | undefined
  readonly databasePoolSize: number
  /** Named prepared statements on PostgreSQL (off behind a transaction-mode pooler). */
  readonly databasePreparedStatements: boolean
  /** Page cache of the embedded database (PostgreSQL's shared_buffers), e.g. `32MB`. */
  readonly pgliteSharedBuffers: string
  readonly storage: LocalStorageConfig | S3StorageConfig
  readonly meili:
    | { readonly url: string; readonly apiKey: string | undefined; readonly index: string }
    | undefined
  /** Meilisearch when MEILI_URL is set, else the embedded PostgreSQL full-text search. */
  readonly searchEngine: 'postgres' | 'meilisearch'
  readonly uploadMaxBytes: number
  readonly requestTimeoutMs: number
  /** Run job workers inside the API process (embedded default) or leave them to `npm run worker`. */
  readonly workersInProcess: boolean
  /** Unreferenced blobs younger than this are left alone by the sweep (uploads in flight). */
  readonly blobSweepGraceMinutes: number
  readonly trustProxy: boolean
  readonly auth: AuthConfig
  /** Where users open the service, e.g. `https://vanthu.example.gov.vn`: links in e-mails. */
  readonly publicUrl: string | undefined
  /** Outgoing mail; undefined = notifications stay in the app only. */
  readonly email: EmailConfig | undefined
  readonly ocr: OcrConfig
  readonly signing: SigningConfig
  readonly outgoing: OutgoingConfig
  readonly records: RecordsConfig
  readonly audit: AuditConfig
}

export interface AuditConfig {
  /**
   * Cron (UTC) of the signed checkpoints of the audit chain (AUDIT_CHECKPOINT_CRON, hourly by default;
   * `off` = only on demand). A rewrite of the chain before the last checkpoint is detected.
   */
  readonly checkpointCron: string | undefined
}

export interface OutgoingConfig {
  /** LibreOffice's command, for DOCX drafts converted to PDF (`soffice` on the PATH by default). */
  readonly libreOffice: string
  /** Time allowed for one DOCX → PDF conversion. */
  readonly conversionTimeoutMs: number
}

/** Records and archives (src/records; the choices behind the defaults: src/records/records-policy.ts). */
export interface RecordsConfig {
  /** Nộp lưu deadline after a hồ sơ closes: 365 (ND30 Điều 31) or 60 (TT 05/2025 as implementers read it). */
  readonly transferDueDays: number
  /** Reminder this many days before the transfer deadline (ND30 Phụ lục VI III.5.b: 30). */
  readonly transferNoticeDays: number
  /** Object Lock retain-until for Vĩnh viễn records, in years from now (extended as it nears). */
  readonly permanentLockYears: number
  /** Fixity: every stored blob is re-hashed once per this many days. */
  readonly fixityCycleDays: number
  /** Fixity: at most this many MB/s are read (the job sleeps to stay under it). */
  readonly fixityMaxMbPerSecond: number
  /** Fixity: cron of the rolling job (UTC). */
  readonly fixityCron: string
}

export interface SigningConfig {
  /** RFC 3161 timestamp authority; when set every signature of the signing flow is timestamped (PAdES B-T). */
  readonly tsaUrl: string | undefined
  readonly tsaTimeoutMs: number
  /**
   * After a timestamped signature: OCSP responses or CRLs of the signer's chain in the DSS and a document
   * timestamp (B-LTA). Default on when a TSA is set; without revocation data the signature stays at B-T.
   */
  readonly ltv: boolean
  /** Each OCSP request or CRL download (signing with LTV, and verifying online). */
  readonly revocationTimeoutMs: number
  /**
   * Verifying a PDF whose own revocation data is missing or stale asks the OCSP responders and CRL
   * distribution points its certificates name, for chains that end at the agency's trust anchors.
   * Off: such signatures stay indeterminate (revocation-unknown), for servers with no way out.
   */
  readonly verifyOnline: boolean
  /** The daily renewal of B-LTA files runs this many days before their newest timestamp certificate expires. */
  readonly renewBeforeDays: number
}

export interface OcrConfig {
  /** Tesseract workers in the process's OCR pool (each ~75 MB, one core while reading a page). */
  readonly workers: number
  /** Pages a worker reads before it is replaced (tesseract's memory only grows). */
  readonly recyclePages: number
  /** Files whose text one process extracts at once. */
  readonly concurrency: number
}

export interface EmailConfig {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the start). */
  readonly smtpUrl: string
  /** The sender, `vanthu@example.gov.vn` or `Văn thư <vanthu@example.gov.vn>`. */
  readonly from: string
}

export interface AuthConfig {
  /** 32-byte key (base64) encrypting secrets at rest; undefined = kept in DATA_DIR/secret.key. */
  readonly secretKey: Buffer | undefined
  /** Password of the `admin` account created on first start; undefined = random, printed once. */
  readonly adminPassword: string | undefined
  readonly sessionIdleMinutes: number
  readonly sessionMaxHours: number
  readonly loginRateLimitPerMinute: number
}

export interface LocalStorageConfig {
  readonly driver: 'local'
  readonly root: string
}

export interface S3StorageConfig {
  readonly driver: 's3'
  readonly endPoint: string
  readonly port: number | undefined
  readonly useSSL: boolean
  readonly accessKey: string
  readonly secretKey: string
  readonly bucket: string
  readonly region: string
  readonly pathStyle: boolean
  /** Create the bucket with Object Lock and lock records under retention (S3_OBJECT_LOCK). */
  readonly objectLock?: boolean | undefined
  /** GOVERNANCE (default: an account allowed to bypass may correct a mistaken date) or COMPLIANCE. */
  readonly objectLockMode?: 'GOVERNANCE' | 'COMPLIANCE' | undefined
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** Collects every problem so a bad deployment is fixed in one round, not one variable at a time. */
class EnvReader {
  readonly problems: string[] = []
  constructor(private readonly env: Env) {}

  string(name: string): string | undefined {
    const value = this.env[name]?.trim()
    return value === '' ? undefined : value
  }

  required(name: string, expected: string): string {
    const value = this.string(name)
    if (value === undefined) this.problems.push(`${name} is required: expected ${expected}`)
    return value ?? ''
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name)
    if (raw === undefined) return fallback
    const value = Number(raw)
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`)
      return fallback
    }
    return value
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.string(name)?.toLowerCase()
    if (raw === undefined) return fallback
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true
    if (['0', 'false', 'no', 'off'].includes(raw)) return false
    this.problems.push(`${name}=${JSON.stringify(raw)}: expected true or false`)
    return fallback
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name)
    if (raw === undefined) return fallback
    if ((allowed as readonly string[]).includes(raw)) return raw as T
    this.problems.push(`${name}=${JSON.stringify(raw)}: expected one of ${allowed.join(', ')}`)
    return fallback
  }

  matching(name: string, pattern: RegExp, expected: string, fallback: string): string {
    const raw = this.string(name)
    if (raw === undefined) return fallback
    if (pattern.test(raw)) return raw
    this.problems.push(`${name}=${JSON.stringify(raw)}: expected ${expected}`)
    return fallback
  }

  url(name: string, protocols: string[]): URL | undefined {
    const raw = this.string(name)
    if (raw === undefined) return undefined
    try {
      const url = new URL(raw)
      if (protocols.includes(url.protocol)) return url
    } catch {
      // reported below
    }
    this.problems.push(`${name}: expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`)
    return undefined
  }
}

const MIB = 1024 * 1024

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const read = new EnvReader(env)
  const dataDir = path.resolve(cwd, read.string('DATA_DIR') ?? './data')
  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:'])
  const meiliUrl = read.url('MEILI_URL', ['http:', 'https:'])

  const config: Config = {
    port: read.integer('PORT', 3000, 0, 65535),
    host: read.string('HOST') ?? '0.0.0.0',
    dataDir,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    databaseUrl: databaseUrl?.toString(),
    databasePoolSize: read.integer('DATABASE_POOL_SIZE', 10, 1, 200),
    databasePreparedStatements: read.boolean('DATABASE_PREPARED_STATEMENTS', true),
    pgliteSharedBuffers: read.matching(
      'PGLITE_SHARED_BUFFERS',
      /^\d{1,5}(kB|MB|GB)$/,
      'a size such as 32MB',
      '32MB',
    ),
    storage: readStorage(read, dataDir),
    meili: meiliUrl
      ? { url: meiliUrl.toString(), apiKey: read.string('MEILI_API_KEY'), index: readMeiliIndex(read) }
      : undefined,
    searchEngine: meiliUrl ? 'meilisearch' : 'postgres',
    uploadMaxBytes: read.integer('UPLOAD_MAX_MB', 100, 1, 10_240) * MIB,
    requestTimeoutMs: read.integer('REQUEST_TIMEOUT_MS', 120_000, 1_000, 3_600_000),
    workersInProcess: read.boolean('WORKERS_IN_PROCESS', true),
    blobSweepGraceMinutes: read.integer('BLOB_SWEEP_GRACE_MINUTES', 60, 0, 100_000),
    trustProxy: read.boolean('TRUST_PROXY', false),
    auth: Object.freeze({
      secretKey: readSecretKey(read),
      adminPassword: read.string('VANTHU_ADMIN_PASSWORD'),
      sessionIdleMinutes: read.integer('SESSION_IDLE_MINUTES', 60, 1, 24 * 60),
      sessionMaxHours: read.integer('SESSION_MAX_HOURS', 12, 1, 24 * 30),
      loginRateLimitPerMinute: read.integer('LOGIN_RATE_LIMIT_PER_MINUTE', 20, 1, 10_000),
    }),
    publicUrl: read.url('PUBLIC_URL', ['http:', 'https:'])?.toString().replace(/\/+$/, ''),
    email: readEmail(read),
    ocr: Object.freeze({
      // One worker per core (at most 4: each holds ~110 MB); a file's next page is read while one finishes.
      workers: read.integer('OCR_WORKERS', Math.min(os.availableParallelism(), 4), 1, 32),
      recyclePages: read.integer('OCR_RECYCLE_PAGES', 200, 1, 100_000),
      concurrency: read.integer('OCR_CONCURRENCY', 1, 1, 32),
    }),
    signing: readSigning(read),
    outgoing: Object.freeze({
      libreOffice: read.string('LIBREOFFICE_PATH') ?? 'soffice',
      conversionTimeoutMs: read.integer('DOCX_CONVERSION_TIMEOUT_MS', 120_000, 1_000, 600_000),
    }),
    records: Object.freeze({
      transferDueDays: read.integer('RECORDS_TRANSFER_DUE_DAYS', 365, 1, 3650),
      transferNoticeDays: read.integer('RECORDS_TRANSFER_NOTICE_DAYS', 30, 0, 365),
      permanentLockYears: read.integer('RECORDS_PERMANENT_LOCK_YEARS', 100, 1, 1000),
      fixityCycleDays: read.integer('FIXITY_CYCLE_DAYS', 30, 1, 3650),
      fixityMaxMbPerSecond: read.integer('FIXITY_MAX_MB_PER_SECOND', 20, 1, 10_000),
      fixityCron: read.matching('FIXITY_CRON', /^[\d*/,\- ]{9,60}$/, 'a cron expression such as "*/10 * * * *"', '*/10 * * * *'),
    }),
    audit: Object.freeze({
      checkpointCron:
        read.string('AUDIT_CHECKPOINT_CRON')?.toLowerCase() === 'off'
          ? undefined
          : read.matching('AUDIT_CHECKPOINT_CRON', /^[\d*/,\- ]{9,60}$/, 'a cron expression such as "0 * * * *", or off', '0 * * * *'),
    }),
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems)
  return Object.freeze(config)
}

function readSigning(read: EnvReader): SigningConfig {
  const tsaUrl = read.url('SIGNING_TSA_URL', ['http:', 'https:'])?.toString()
  const ltv = read.boolean('SIGNING_LTV', tsaUrl !== undefined)
  if (ltv && !tsaUrl)
    read.problems.push('SIGNING_LTV needs SIGNING_TSA_URL: B-LT/B-LTA start from a timestamped signature')
  return Object.freeze({
    tsaUrl,
    tsaTimeoutMs: read.integer('SIGNING_TSA_TIMEOUT_MS', 10_000, 100, 120_000),
    ltv,
    revocationTimeoutMs: read.integer(
      'SIGNING_REVOCATION_TIMEOUT_MS',
      // The name before OCSP was fetched too.
      read.integer('SIGNING_CRL_TIMEOUT_MS', 5_000, 100, 60_000),
      100,
      60_000,
    ),
    verifyOnline: read.boolean('SIGNING_VERIFY_ONLINE', true),
    renewBeforeDays: read.integer('SIGNING_RENEW_BEFORE_DAYS', 90, 1, 3650),
  })
}

/** Meilisearch index uids allow letters, digits, `-` and `_`. */
function readMeiliIndex(read: EnvReader): string {
  return read.matching(
    'MEILI_INDEX',
    /^[A-Za-z0-9_-]{1,400}$/,
    'an index name of letters, digits, - and _',
    'vanthu-documents',
  )
}

function readStorage(read: EnvReader, dataDir: string): Config['storage'] {
  const endpoint = read.url('S3_ENDPOINT', ['http:', 'https:'])
  const driver = read.oneOf('STORAGE_DRIVER', ['local', 's3'], endpoint ? 's3' : 'local')
  if (driver === 'local') {
    return Object.freeze({ driver, root: path.resolve(dataDir, read.string('BLOB_DIR') ?? 'blobs') })
  }
  if (!endpoint) read.problems.push('S3_ENDPOINT is required when STORAGE_DRIVER=s3: expected a URL')
  const useSSL = read.boolean('S3_USE_SSL', endpoint?.protocol === 'https:')
  return Object.freeze({
    driver,
    endPoint: endpoint?.hostname ?? '',
    port: endpoint?.port ? Number(endpoint.port) : undefined,
    useSSL,
    accessKey: read.required('S3_ACCESS_KEY', 'the access key of the service account'),
    secretKey: read.required('S3_SECRET_KEY', 'the secret key of the service account'),
    bucket: read.string('S3_BUCKET') ?? 'vanthu',
    region: read.string('S3_REGION') ?? 'us-east-1',
    pathStyle: read.boolean('S3_PATH_STYLE', true),
    objectLock: read.boolean('S3_OBJECT_LOCK', false),
    objectLockMode: read.oneOf('RECORDS_OBJECT_LOCK_MODE', ['GOVERNANCE', 'COMPLIANCE'], 'GOVERNANCE'),
  })
}

/** A mailbox, bare or with a display name: `a@b.vn` or `Văn thư <a@b.vn>`. */
const MAILBOX = /^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/

function readEmail(read: EnvReader): EmailConfig | undefined {
  const url = read.url('SMTP_URL', ['smtp:', 'smtps:'])
  const from = read.string('SMTP_FROM')
  if (!url) return undefined
  if (from === undefined)
    read.problems.push('SMTP_FROM is required when SMTP_URL is set: expected a sender address')
  else if (!MAILBOX.test(from))
    read.problems.push(`SMTP_FROM=${JSON.stringify(from)}: expected an address such as vanthu@example.gov.vn`)
  return Object.freeze({ smtpUrl: url.toString(), from: from ?? '' })
}

function readSecretKey(read: EnvReader): Buffer | undefined {
  const raw = read.string('SECRET_KEY')
  if (raw === undefined) return undefined
  const key = Buffer.from(raw, 'base64')
  if (key.length !== 32) {
    read.problems.push('SECRET_KEY: expected 32 random bytes in base64 (openssl rand -base64 32)')
    return undefined
  }
  return key
}

/** Reads ./.env into process.env when present (Node >= 20.12); real environment variables win. */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = path.join(cwd, '.env')
  if (existsSync(file)) process.loadEnvFile(file)
}
