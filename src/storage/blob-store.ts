import { Readable } from 'node:stream'

export interface StoredBlob {
  /** Content address: `sha256/ab/cd/<hex>`. */
  key: string
  sha256: string
  size: number
  /** False when identical bytes were already stored (nothing new was written). */
  created: boolean
}

export interface BlobInfo {
  key: string
  size: number
  modifiedAt: Date
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number
  /** Last byte, inclusive. */
  end: number
}

/**
 * Write-once, content-addressed storage for document bytes. Identical bytes are stored once.
 * Adapters: local disk (embedded default) and any S3 server (production).
 */
export interface BlobStore {
  /**
   * Stores the stream's bytes under their SHA-256 address. If the stream errors (too large, wrong type,
   * client gone) nothing is stored under a final key and the stream's error is rethrown.
   */
  put(body: Readable): Promise<StoredBlob>
  /** The bytes, whole or a range; throws BlobNotFoundError when the key is absent. */
  get(key: string, range?: ByteRange): Promise<Readable>
  /**
   * The whole blob in one buffer, for the PDFs a signature or a number is appended to (tens of MB at
   * most): read at once rather than chunk by chunk. Throws BlobNotFoundError when the key is absent.
   */
  read(key: string): Promise<Buffer>
  /** Size and time of a blob, or undefined when absent. */
  stat(key: string): Promise<BlobInfo | undefined>
  /** Removes a blob; absent keys are not an error. */
  delete(key: string): Promise<void>
  /** Every stored blob, in no particular order (for sweeps and integrity checks). */
  list(): AsyncIterable<BlobInfo>
  /** Throws when the store is unreachable or not writable (readiness probe). */
  check(): Promise<void>
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Blob not found: ${key}`)
    this.name = 'BlobNotFoundError'
  }
}

const KEY_PATTERN = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/

/** Stores bytes held in memory, whole or as consecutive chunks, streamed as they are (no copy first). */
export function putBytes(store: BlobStore, chunks: readonly Uint8Array[]): Promise<StoredBlob> {
  return store.put(Readable.from(chunks))
}

/** The whole blob as a plain Uint8Array over the buffer read (no copy). */
export async function readBytes(store: BlobStore, key: string): Promise<Uint8Array> {
  const whole = await store.read(key)
  return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength)
}

/** The content address of a SHA-256 digest, nested so no directory or prefix grows too large. */
export function blobKeyFor(sha256: string): string {
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`
}

/** Validates a key before it reaches a path or an object name (no traversal through crafted keys). */
export function assertBlobKey(key: string): string {
  const match = KEY_PATTERN.exec(key)
  if (!match || match[1] !== match[3]?.slice(0, 2) || match[2] !== match[3]?.slice(2, 4)) {
    throw new Error(`Not a blob key: ${JSON.stringify(key)}`)
  }
  return key
}

/** How a stored blob is protected now. */
export interface BlobProtection {
  /** No deletion or overwrite before this time (null = no retention). */
  retainUntil: Date | null
  legalHold: boolean
  /** The S3 retention mode in force (null without retention, and on the local disk). */
  mode: 'GOVERNANCE' | 'COMPLIANCE' | null
  /** The bytes cannot be changed or removed through the store now (a lock in force, or a read-only file). */
  writeProtected: boolean
}

/**
 * Immutability for records (src/records): stores that can lock bytes implement it — S3 with Object Lock
 * (retention and legal hold on the object version), the local disk by making the file read-only (the
 * service's rules do the rest there).
 */
export interface BlobRetention {
  /** True when this store instance locks bytes (an S3 bucket without Object Lock does not). */
  readonly retentionSupported: boolean
  /**
   * Locks the blob until `retainUntil` (a retention is only ever extended, never shortened) and sets or
   * clears its legal hold. Absent keys throw BlobNotFoundError.
   */
  protect(key: string, protection: { retainUntil?: Date | undefined; legalHold?: boolean | undefined }): Promise<void>
  protection(key: string): Promise<BlobProtection>
  /**
   * Destroys every stored copy of the blob (all versions on a versioned bucket), for an approved
   * disposition. Refused by the store while a retention or legal hold is in force.
   */
  destroy(key: string): Promise<void>
}

/** The store's record-locking side, when it has one. */
export function retentionOf(store: BlobStore): BlobRetention | undefined {
  const candidate = store as Partial<BlobRetention>
  return candidate.retentionSupported === true ? (candidate as BlobRetention) : undefined
}
