// s3rver 3.7.1 ships no types; only what the tests use is declared.
declare module 's3rver' {
  import type { AddressInfo } from 'node:net'

  interface S3rverOptions {
    address?: string
    port?: number
    silent?: boolean
    directory?: string
    resetOnClose?: boolean
    allowMismatchedSignatures?: boolean
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[]
  }

  export default class S3rver {
    constructor(options?: S3rverOptions)
    /** Resolves with the bound address (port 0 picks a free one). */
    run(): Promise<AddressInfo>
    close(): Promise<void>
  }
}
