/**
 * What every section of `npm run seed:demo` works with: the platform, the HTTP app (in process, no port)
 * and the demo's agency, units and people, each with an API token — so sections act as those people do,
 * through the same routes and services (audit chain, timeline, search index, jobs and notifications stay
 * consistent), never by writing rows behind the services' back.
 *
 * A section is one exported function `seedX(ctx: DemoContext): Promise<void>` in scripts/lib/seed-<area>.ts
 * and one call line in scripts/seed-demo.ts. It must be safe to run twice (skip what exists).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Actor } from '../../src/access/actor.ts'
import type { Platform } from '../../src/platform/platform.ts'
import type { DemoPersonKey, DemoUnit } from './demo-agency.ts'

export interface DemoMember {
  id: string
  username: string
  fullName: string
  actor: Actor
  /** `authorization: Bearer …` of a token the seed made for this person (revoked when the seed ends). */
  headers: Record<string, string>
}

export type DemoWho = DemoPersonKey | 'admin'

/** One multipart part: a field, or a file. */
export type Part = { name: string; value: string } | { name: string; fileName: string; contentType: string; data: Buffer }

export interface DemoContext {
  app: FastifyInstance
  platform: Platform
  agency: { id: string; name: string }
  units: Record<DemoUnit, { id: string; name: string }>
  people: Record<DemoWho, DemoMember>
  /** The signing PIN of the demo leader's certificate and of the agency seal (VANTHU_DEMO_PIN). */
  pin: string
  /** ../shared/corpus/docs when present: the fictional documents the demo registers. */
  corpusDir: string | undefined
  /** A JSON call as `who`; throws with the answer's body unless it is 2xx. */
  api<T = unknown>(who: DemoWho, method: string, url: string, body?: object): Promise<T>
  /** A multipart call as `who`; throws with the answer's body unless it is 2xx. */
  upload<T = unknown>(who: DemoWho, method: string, url: string, parts: Part[]): Promise<T>
  /** A progress line on the seed's output. */
  say(line: string): void
}

/** Builds a multipart/form-data body with the parts in order. */
export function multipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----vanthu-demo-${Math.random().toString(16).slice(2)}`
  const chunks: Buffer[] = []
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`))
    if ('value' in part) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`))
    } else {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: ${part.contentType}\r\n\r\n`,
        ),
        part.data,
        Buffer.from('\r\n'),
      )
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

/** The API calls of a context, over app.inject with each person's token. */
export function demoCalls(app: FastifyInstance, people: () => Record<DemoWho, DemoMember>) {
  const send = async <T>(who: DemoWho, method: string, url: string, payload: Buffer | object | undefined, contentType?: string) => {
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers: { ...people()[who].headers, ...(contentType ? { 'content-type': contentType } : {}) },
      ...(payload !== undefined ? { payload: payload as Buffer } : {}),
    })
    if (response.statusCode >= 300) {
      throw new Error(`${who}: ${method} ${url} answered ${response.statusCode}: ${response.body.slice(0, 800)}`)
    }
    return (response.body ? response.json() : undefined) as T
  }
  return {
    api: <T>(who: DemoWho, method: string, url: string, body?: object) => send<T>(who, method, url, body),
    upload: <T>(who: DemoWho, method: string, url: string, parts: Part[]) => {
      const { payload, contentType } = multipart(parts)
      return send<T>(who, method, url, payload, contentType)
    },
  }
}

/** A corpus document's registration metadata (docs/NNN.meta.json). */
export interface CorpusMeta {
  id: string
  kind: string
  kind_code: string | null
  number_notation: string
  issued_date: string
  issuer: string
  subject: string
  signer_name: string
  signer_title: string
  urgency: string | null
  secrecy: string | null
  pages: number
}

export function corpusMeta(dir: string, id: string): CorpusMeta {
  return JSON.parse(readFileSync(path.join(dir, `${id}.meta.json`), 'utf8')) as CorpusMeta
}

/** A date `days` from today (negative: before), as YYYY-MM-DD in Vietnam's time zone. */
export function dayFromToday(days: number, now = new Date()): string {
  const vietnam = new Date(now.getTime() + 7 * 3_600_000 + days * 86_400_000)
  return vietnam.toISOString().slice(0, 10)
}
