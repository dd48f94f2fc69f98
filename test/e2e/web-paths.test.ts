import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapAdmin } from '../../src/organisation/bootstrap.ts'
import { registerNotFound, registerProblemHandler } from '../../src/platform/http/problem-handler.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { REPO_ROOT } from '../helpers/server-process.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

/**
 * Every browser path gives the app (issue 11 item 1): the bare address the README names answered 403
 * `validation-failed` because the static layer saw a directory. Pages come from the router table, so a
 * page added later is covered too.
 */

const WEB_DIST = path.join(REPO_ROOT, 'dist/web')
const ROUTER_PATHS = [...readFileSync(path.join(REPO_ROOT, 'src/web/routes.tsx'), 'utf8').matchAll(/\bpath: '(\/[^']*)'/g)].map(
  (match) => match[1]!.replace(/:id\b/, '3f2c9a4e-1b7d-4c55-9e2a-7d1f0b6a8c11'),
)

describe('browser paths', () => {
  let t: TestApp

  beforeAll(async () => {
    if (!existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('dist/web/index.html is missing: run npm run build:web first')
    t = await startTestApp(pgliteDriver)
  }, 60_000)
  afterAll(async () => t?.close())

  const isApp = (response: { statusCode: number; headers: Record<string, unknown>; body: string }) => {
    expect(response.statusCode).toBe(200)
    expect(String(response.headers['content-type'])).toMatch(/^text\/html/)
    expect(response.headers['content-security-policy']).toContain("script-src 'self'")
    expect(response.headers['cache-control']).toBe('no-cache')
    expect(response.body).toContain('<div id="root">')
  }

  it('GIVEN the built UI WHEN the bare address, every page of the router, a reload with a query, a doubled slash or a folder is opened THEN each answers the app', async () => {
    expect(ROUTER_PATHS.length).toBeGreaterThan(10)
    for (const url of ['/', '//', '/?lang=en', ...ROUTER_PATHS, '/incoming/', '/assets', '/assets/', '/khong-co-trang-nay']) {
      isApp(await t.app.inject({ url }))
      const head = await t.app.inject({ method: 'HEAD', url })
      expect(head.statusCode, url).toBe(200)
    }
  })

  it('GIVEN the built UI WHEN its files, a missing file, an unknown API route or a path outside the build are asked THEN files come with their cache rules and the rest is a 404 problem', async () => {
    const asset = readdirSync(path.join(WEB_DIST, 'assets')).find((name) => name.endsWith('.js'))!
    const script = await t.app.inject({ url: `/assets/${asset}` })
    expect(script.statusCode).toBe(200)
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    for (const url of ['/khong-co.js', '/api/khong-co', '/assets/%2e%2e/%2e%2e/package.json', '/%2e%2e/package.json']) {
      const response = await t.app.inject({ url })
      expect(response.statusCode, url).toBe(404)
      expect(response.json().code, url).toBe('route-not-found')
    }
    expect((await t.app.inject({ url: '/api/documents' })).json().code).toBe('unauthenticated')
  })

  it('GIVEN the probes the web app makes on every load WHEN nobody is signed in, or the admin of a new agency is THEN each answers 200 (no failed request in the console): signed in or not, no seal, no image yet', async () => {
    const anonymous = await t.app.inject({ url: '/api/auth/status' })
    expect(anonymous.statusCode).toBe(200)
    expect(anonymous.json()).toEqual({ signedIn: false })
    await bootstrapAdmin(t.platform.database, 'Quản trị thử các đường dẫn 2026')
    const token = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { username: 'admin', password: 'Quản trị thử các đường dẫn 2026' } })
    const admin = { authorization: `Bearer ${token.json().token}` }
    const status = await t.app.inject({ url: '/api/auth/status', headers: admin })
    expect(status.json()).toMatchObject({ signedIn: true, session: { user: { username: 'admin' } } })
    for (const url of ['/api/admin/signing/seal-image/info', '/api/admin/signing/agency-seal/info']) {
      const answer = await t.app.inject({ url, headers: admin })
      expect(answer.statusCode, url).toBe(200)
      expect(Object.values(answer.json())).toEqual([null])
    }
    expect((await t.app.inject({ url: '/api/admin/signing/seal-image/info' })).statusCode).toBe(401)
  })

  it('GIVEN route schemas that compile on first use WHEN the rest are compiled (as after listen) THEN every one of them compiles, and validation still answers 400 with the fields', async () => {
    await t.app.compileRemainingSchemas()
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { username: 'a' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'password' }] })
  })
})

describe('problem codes of plugin errors', () => {
  it('GIVEN a plugin answering 403 or 401 itself WHEN the problem document is written THEN it says forbidden or unauthenticated, not validation-failed', async () => {
    const app = Fastify({ logger: false })
    registerProblemHandler(app)
    registerNotFound(app)
    app.get('/forbidden', async () => {
      throw Object.assign(new Error('Forbidden'), { statusCode: 403 })
    })
    app.get('/unauthorized', async () => {
      throw Object.assign(new Error('Unauthorized'), { statusCode: 401 })
    })
    app.get('/bad', async () => {
      throw Object.assign(new Error('Bad Request'), { statusCode: 400 })
    })
    const codeOf = async (url: string) => {
      const response = await app.inject({ url })
      return [response.statusCode, response.json().code]
    }
    expect(await codeOf('/forbidden')).toEqual([403, 'forbidden'])
    expect(await codeOf('/unauthorized')).toEqual([401, 'unauthenticated'])
    expect(await codeOf('/bad')).toEqual([400, 'validation-failed'])
    await app.close()
  })
})
