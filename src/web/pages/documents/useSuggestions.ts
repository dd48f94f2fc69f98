import { type Dispatch, type SetStateAction, useCallback, useEffect, useRef, useState } from 'react'
import { DOCUMENT_KINDS } from './labels.ts'

/** Register fields the server can propose (POST /api/incoming/suggestions), by the form's names. */
export const SUGGESTED_FIELDS = [
  'issuer',
  'numberNotation',
  'documentDate',
  'kind',
  'subject',
  'signer',
  'signerPosition',
  'urgency',
  'secrecy',
] as const
export type SuggestedField = (typeof SUGGESTED_FIELDS)[number]

/** A value put into a field by the suggestion, with the server's confidence (0..1). */
export interface SuggestionMark {
  confidence: number
}

/** Below this the pre-filled value is shown as one to check. */
export const LOW_CONFIDENCE = 0.6

export type SuggestionStatus = 'idle' | 'reading' | 'done' | 'failed'

interface ServerSuggestion {
  value: string
  confidence: number
}
type ServerFields = Partial<Record<SuggestedField, ServerSuggestion | null>>

// The form's select values for độ khẩn / độ mật are the levels' indexes (Thường = 0).
const URGENCY = ['Thường', 'Khẩn', 'Thượng khẩn', 'Hỏa tốc']
const SECRECY = ['Thường', 'Mật', 'Tối mật', 'Tuyệt mật']
/** Fields whose form value is a default rather than empty: filled unless the clerk changed them. */
const DEFAULTED: readonly SuggestedField[] = ['kind', 'urgency', 'secrecy']

/** A proposal as the form's value, or undefined when the form cannot show it. */
function formValue(field: SuggestedField, value: string): string | undefined {
  if (field === 'urgency' || field === 'secrecy') {
    const index = (field === 'urgency' ? URGENCY : SECRECY).indexOf(value)
    return index > 0 ? String(index) : undefined
  }
  if (field === 'kind') return (DOCUMENT_KINDS as readonly string[]).includes(value) ? value : undefined
  return value.trim() || undefined
}

async function requestSuggestions(file: File, signal: AbortSignal): Promise<ServerFields> {
  // The session's CSRF token, for this state-changing (though storing nothing) POST.
  const session = await fetch('/api/auth/session', { credentials: 'same-origin', signal })
  const { csrfToken } = session.ok ? ((await session.json()) as { csrfToken?: string }) : {}
  const form = new FormData()
  form.append('file', file, file.name)
  const response = await fetch('/api/incoming/suggestions', {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
    signal,
  })
  if (!response.ok) throw new Error(`suggestions: ${response.status}`)
  return ((await response.json()) as { fields: ServerFields }).fields
}

/**
 * Gợi ý: when the first file is chosen, asks the server to read it and fills the fields that are still
 * empty (or, for kind / urgency / secrecy, still at their default). A field the clerk has typed in is never
 * overwritten, and the reading goes on while the clerk types (OCR of a scan takes seconds; the fields still
 * empty are filled when it ends). "Bỏ qua gợi ý" stops it. `marks` says which fields hold
 * a suggested value (until the clerk edits them).
 */
export function useSuggestions<V extends Record<SuggestedField, string>>(
  file: { key: number; file: File } | undefined,
  values: V,
  setValues: Dispatch<SetStateAction<V>>,
) {
  const [status, setStatus] = useState<SuggestionStatus>('idle')
  const [marks, setMarks] = useState<Partial<Record<SuggestedField, SuggestionMark>>>({})
  const [filledCount, setFilledCount] = useState(0)
  const touched = useRef(new Set<string>())
  const controller = useRef<AbortController | null>(null)
  const current = useRef(values)
  current.current = values

  const stop = useCallback(() => {
    controller.current?.abort()
    controller.current = null
    setStatus((s) => (s === 'reading' ? 'idle' : s))
  }, [])

  const fill = useCallback(
    (fields: ServerFields) => {
      const next = { ...current.current }
      const filled: Partial<Record<SuggestedField, SuggestionMark>> = {}
      for (const field of SUGGESTED_FIELDS) {
        const suggestion = fields[field]
        if (!suggestion || touched.current.has(field)) continue
        const value = formValue(field, suggestion.value)
        if (value === undefined) continue
        if (!DEFAULTED.includes(field) && next[field].trim() !== '') continue
        next[field] = value as V[SuggestedField]
        filled[field] = { confidence: suggestion.confidence }
      }
      setValues(next)
      setMarks(filled)
      setFilledCount(Object.keys(filled).length)
    },
    [setValues],
  )

  const key = file?.key
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new first file (by key) starts a new reading.
  useEffect(() => {
    if (!file) {
      touched.current.clear()
      setMarks({})
      setStatus('idle')
      return
    }
    const abort = new AbortController()
    controller.current = abort
    setStatus('reading')
    requestSuggestions(file.file, abort.signal).then(
      (fields) => {
        if (abort.signal.aborted) return
        fill(fields)
        setStatus('done')
      },
      () => {
        if (!abort.signal.aborted) setStatus('failed')
      },
    )
    return () => abort.abort()
  }, [key])

  /** The clerk changed a field: it is theirs now and no suggestion will overwrite it. */
  const edited = useCallback((field: string) => {
    touched.current.add(field)
    setMarks((m) => {
      if (!(field in m)) return m
      const { [field as SuggestedField]: _edited, ...rest } = m
      return rest
    })
  }, [])

  return { status, marks, edited, stop, filledCount }
}
