import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalDiskBlobStore } from '../../src/storage/adapters/local-disk.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

/** A disk store whose disk has gone away: the fault readiness must report. */
class UnreachableStore extends LocalDiskBlobStore {
  override async check(): Promise<void> {
    throw new Error('EACCES: permission denied, mkdir /srv/blobs')
  }
}

describe('operations endpoints', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(pgliteDriver)
  })
  afterAll(async () => t?.close())

  it('GIVEN a running service WHEN probed THEN healthz and readyz answer ok with the drivers in use', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' })
    const ready = await t.app.inject({ url: '/readyz' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', storage: 'ok' },
      databaseDriver: 'pglite',
      storageDriver: 'local',
    })
  })

  it('GIVEN a request id from a proxy WHEN answered THEN the same id comes back; otherwise a new one', async () => {
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } })
    expect(given.headers['x-request-id']).toBe('abc-123')
    const fresh = await t.app.inject({ url: '/healthz' })
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('GIVEN the API WHEN its OpenAPI document is read THEN every route is described, with problem responses', async () => {
    const spec = (await t.app.inject({ url: '/docs/json' })).json()
    expect(spec.openapi).toMatch(/^3\./)
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/documents/',
        '/api/documents/{id}',
        '/api/documents/{id}/files/{fileId}/content',
        '/api/audit/verify',
        '/api/jobs/{id}',
        '/readyz',
      ]),
    )
    expect(spec.paths['/api/documents/'].post.responses['413']).toBeDefined()
    const ui = await t.app.inject({ url: '/docs/' })
    expect(ui.statusCode).toBe(200)
    expect(ui.headers['content-type']).toContain('text/html')
  })

  it('GIVEN an unknown route WHEN requested THEN 404 problem+json in Vietnamese and English', async () => {
    const response = await t.app.inject({ url: '/api/nothing-here' })
    expect(response.statusCode).toBe(404)
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(response.json()).toMatchObject({
      code: 'route-not-found',
      title: 'Không có địa chỉ này.',
      titleEn: 'No such route.',
      instance: '/api/nothing-here',
    })
  })

  it('GIVEN malformed JSON WHEN posted THEN 400 problem+json, and no stack trace leaks', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('validation-failed')
    expect(response.body).not.toContain('at ')
  })
})

describe('readiness with unreachable storage', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(pgliteDriver, { blobStore: new UnreachableStore('/nonexistent') })
  })
  afterAll(async () => t?.close())

  it('GIVEN storage that fails its check WHEN readyz is asked THEN 503 names the failing part', async () => {
    const response = await t.app.inject({ url: '/readyz' })
    expect(response.statusCode).toBe(503)
    expect(response.json()).toMatchObject({
      status: 'not-ready',
      checks: { database: 'ok', storage: 'error: EACCES: permission denied, mkdir /srv/blobs' },
    })
  })
})
