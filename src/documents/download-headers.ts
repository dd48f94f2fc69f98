import type { ByteRange } from '../storage/blob-store.ts'

/**
 * Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 6266 + RFC 5987), so
 * "Quyết định 15.pdf" reaches every browser intact and no header can be injected through a name.
 */
export function contentDisposition(storedName: string, disposition: 'attachment' | 'inline'): string {
  // Names stored before uploads were cleaned may still hold a right-to-left override: never send one.
  const fileName = storedName.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '') || 'tai-lieu'
  const ascii = fileName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%]/g, '_')
  const encoded = encodeURIComponent(fileName.normalize('NFC')).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

/** What a browser shows by itself without running anything of ours: only these may be served inline. */
const INLINE_MEDIA_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg'])

/** The disposition actually served: `inline` only when asked for and the type is in the allow-list. */
export function servedDisposition(mediaType: string, requested: 'attachment' | 'inline' | undefined) {
  return requested === 'inline' && INLINE_MEDIA_TYPES.has(mediaType) ? 'inline' : 'attachment'
}

/**
 * Replaces the app's page policy on an inline PDF or image so our own pages may frame it. Nothing may
 * load or run (`default-src 'none'`); `object-src 'self'` lets a browser whose PDF viewer is a plugin
 * embed the document itself; inline styles are the browser's own image/plugin document layout (Chromium's
 * image document is unstyled without them). No `sandbox`: a sandboxed PDF is blocked in browsers whose
 * viewer counts as a plugin.
 */
export const INLINE_FRAME_HEADERS = {
  'content-security-policy': "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
  'x-frame-options': 'SAMEORIGIN',
} as const

export type RangeRequest = { kind: 'none' } | { kind: 'range'; range: ByteRange } | { kind: 'unsatisfiable' }

/**
 * Reads a Range header for one byte range (`bytes=0-99`, `bytes=100-`, `bytes=-100`). Several ranges
 * are answered with the whole file, which RFC 9110 allows.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header) return { kind: 'none' }
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match) return { kind: 'none' }
  const [, first, last] = match
  if (first === '' && last === '') return { kind: 'unsatisfiable' }
  let start: number
  let end: number
  if (first === '') {
    const suffix = Number(last)
    if (suffix === 0) return { kind: 'unsatisfiable' }
    start = Math.max(size - suffix, 0)
    end = size - 1
  } else {
    start = Number(first)
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1)
  }
  if (start >= size || start > end) return { kind: 'unsatisfiable' }
  return { kind: 'range', range: { start, end } }
}
