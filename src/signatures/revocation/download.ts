/** Revocation data is a few kilobytes (a national CA's CRL a few megabytes); a larger reply is not it. */
const MAX_REPLY_BYTES = 10 * 1024 * 1024

/** GET (or the given request) with a deadline and a size bound; undefined on any failure. */
export async function downloadBounded(
  url: string,
  timeoutMs: number,
  init: RequestInit = {},
): Promise<Buffer | undefined> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' })
    if (!response.ok) return undefined
    const declared = Number(response.headers.get('content-length') ?? 0)
    if (declared > MAX_REPLY_BYTES) return undefined
    const body = Buffer.from(await response.arrayBuffer())
    return body.length > MAX_REPLY_BYTES ? undefined : body
  } catch {
    return undefined
  }
}
