const VIETNAM_OFFSET_MS = 7 * 3_600_000

/** ISO 8601 in Vietnam time with its offset, as ND30 prints signing times: 2026-11-27T14:03:05+07:00. */
export function vietnamIsoTime(date: Date): string {
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + VIETNAM_OFFSET_MS)
  return `${local.toISOString().slice(0, 19)}+07:00`
}
