import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiTokens } from '../../src/platform/db/schema/index.ts'
import { expectProblem, unknownId } from '../helpers/access-fixtures.ts'
import { type Headers, type Organisation, seedOrganisation, sessionFor } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

/** The only /api routes anybody may call without signing in. */
// GET /api/auth/status tells the app whether anyone is signed in (so a sign-in page logs no 401).
const PUBLIC_API = new Set([
  'POST /api/auth/login',
  'POST /api/auth/login/totp',
  'POST /api/auth/token',
  'GET /api/auth/status',
])
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

interface Route {
  method: string
  /** OpenAPI form: /api/documents/{id} */
  path: string
}

/** Every route the OpenAPI document lists. */
function routesOf(openapi: { paths: Record<string, Record<string, unknown>> }): Route[] {
  return Object.entries(openapi.paths).flatMap(([path, operations]) =>
    HTTP_METHODS.filter((method) => method in operations).map((method) => ({ method: method.toUpperCase(), path })),
  )
}

/**
 * Every (method, path) in the router itself, read from printRoutes' tree (each line: indentation of four
 * characters per level, a branch, the path segment and its methods), so a route hidden from the OpenAPI
 * document cannot escape the checks below.
 */
function routerRoutes(tree: string): Route[] {
  const stack: string[] = []
  const routes: Route[] = []
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!match) continue
    const depth = match[1]!.length / 4
    const path = (depth > 0 ? stack[depth - 1]! : '') + match[2]
    stack[depth] = path
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, path: path.replace(/:(\w+)/g, '{$1}') })
  }
  return routes
}

const key = (route: Route) => `${route.method} ${route.path}`
const urlOf = (path: string) => path.replace(/\{\w+\}/g, () => unknownId())
const wellFormedUnknownToken = () => `vt_${randomBytes(32).toString('base64url')}`

describe.each(DRIVERS)('access to routes on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  /** What the OpenAPI document lists, and that together with what the router holds. */
  let documented: Route[]
  let routes: Route[]

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } })
    org = await seedOrganisation(t.platform, t.app)
    documented = routesOf((await t.app.inject({ url: '/docs/json' })).json())
    const inRouter = routerRoutes(t.app.printRoutes({ commonPrefix: false })).filter((route) => route.method !== 'HEAD')
    routes = [...new Map([...documented, ...inRouter].map((route) => [key(route), route])).values()]
  })
  afterAll(async () => t?.close())

  const request = (route: Route, headers: Headers = {}) => {
    const options: InjectOptions = { method: route.method as InjectOptions['method'], url: urlOf(route.path), headers }
    if (route.method !== 'GET' && route.method !== 'HEAD') options.payload = {}
    return t.app.inject(options)
  }
  const protectedRoutes = () => routes.filter((route) => route.path.startsWith('/api') && !PUBLIC_API.has(key(route)))

  describe.skipIf(!driver.available)('(needs the database)', () => {
    it('GIVEN the router WHEN compared with the OpenAPI document THEN every /api route is documented (up to a trailing slash)', () => {
      const withoutSlash = (route: Route) => key({ ...route, path: route.path.replace(/(.)\/$/, '$1') })
      const documentedKeys = new Set(documented.map(withoutSlash))
      const apiRoutes = routes.filter((route) => route.path.startsWith('/api'))
      expect(apiRoutes.length).toBeGreaterThanOrEqual(31)
      expect(apiRoutes.filter((route) => !documentedKeys.has(withoutSlash(route))).map(key)).toEqual([])
      expect(protectedRoutes().map(key)).toEqual(
        expect.arrayContaining([
          'GET /api/documents',
          'GET /api/documents/',
          'POST /api/documents',
          'POST /api/documents/',
          'GET /api/documents/{id}/files/{fileId}/content',
          'PATCH /api/admin/users/{id}',
          'POST /api/admin/users/{id}/sessions/revoke',
          'DELETE /api/me/tokens/{id}',
          'GET /api/audit/events',
          'GET /api/jobs/{id}',
        ]),
      )
    })

    it('GIVEN no credentials WHEN any non-public /api route is called THEN 401 unauthenticated as problem+json', async () => {
      const answers: string[] = []
      for (const route of protectedRoutes()) {
        const response = await request(route)
        answers.push(`${key(route)} → ${response.statusCode} ${response.json().code}`)
        expectProblem(response, 401, 'unauthenticated')
        if (route.method === 'GET') expect((await request({ ...route, method: 'HEAD' })).statusCode).toBe(401)
      }
      expect(answers.length).toBeGreaterThanOrEqual(28)
    })

    it('GIVEN a bogus bearer token WHEN any non-public /api route is called THEN 401 unauthenticated', async () => {
      const bogus = [wellFormedUnknownToken(), 'not-a-token', `vt_${'x'.repeat(5)}`]
      for (const route of protectedRoutes()) {
        for (const token of bogus) expectProblem(await request(route, { authorization: `Bearer ${token}` }), 401, 'unauthenticated')
      }
    })

    it('GIVEN other authorization schemes WHEN used THEN they are not credentials (401)', async () => {
      const documents = { method: 'GET', path: '/api/documents/' }
      expectProblem(await request(documents, { authorization: 'Basic dmFudGh1Ok3huq10IGto4bqpdQ==' }), 401, 'unauthenticated')
      expectProblem(await request(documents, { cookie: `vanthu_session=${randomBytes(32).toString('base64url')}` }), 401, 'unauthenticated')
    })

    it('GIVEN no credentials WHEN the public sign-in routes are called THEN they answer (400 for an empty body, never 401 unauthenticated)', async () => {
      for (const route of routes.filter((r) => PUBLIC_API.has(key(r)) && r.method === 'POST')) {
        expectProblem(await request(route), 400, 'validation-failed')
      }
    })

    it('GIVEN no credentials or a bogus token WHEN GET /api/auth/status is called THEN 200 signed out, with no session', async () => {
      for (const headers of [{}, { authorization: `Bearer ${wellFormedUnknownToken()}` }] as Headers[]) {
        const response = await request({ method: 'GET', path: '/api/auth/status' }, headers)
        expect(response.statusCode).toBe(200)
        expect(response.json()).toEqual({ signedIn: false })
      }
    })

    it('GIVEN no credentials WHEN /healthz, /readyz and /docs/json are called THEN they answer 200', async () => {
      for (const url of ['/healthz', '/readyz', '/docs/json']) {
        expect((await t.app.inject({ url })).statusCode, url).toBe(200)
      }
    })

    describe('cookie sessions and CSRF', () => {
      const tokenCount = async (headers: Headers) =>
        (await t.app.inject({ url: '/api/me/tokens', headers })).json().items.length as number

      it('GIVEN a cookie session WHEN it reads (GET) without the CSRF header THEN it is served', async () => {
        const session = await sessionFor(t.app, 'vanthu')
        const response = await t.app.inject({ url: '/api/auth/session', headers: { cookie: session.cookie } })
        expect(response.statusCode).toBe(200)
        expect(response.json()).toMatchObject({ user: { username: 'vanthu' }, csrfToken: session.csrfToken })
      })

      it('GIVEN a cookie session WHEN it POSTs without, with a wrong, or with another session’s CSRF token THEN 403 csrf-failed and nothing changes', async () => {
        const session = await sessionFor(t.app, 'vanthu')
        const other = await sessionFor(t.app, 'vanthu')
        const before = await tokenCount(org.users.clerk.headers)
        const post = (headers: Headers) =>
          t.app.inject({ method: 'POST', url: '/api/me/tokens', payload: { name: 'CSRF' }, headers: { cookie: session.cookie, ...headers } })
        expectProblem(await post({}), 403, 'csrf-failed')
        expectProblem(await post({ 'x-csrf-token': '' }), 403, 'csrf-failed')
        expectProblem(await post({ 'x-csrf-token': `${session.csrfToken}x` }), 403, 'csrf-failed')
        expectProblem(await post({ 'x-csrf-token': other.csrfToken }), 403, 'csrf-failed')
        expect(await tokenCount(org.users.clerk.headers)).toBe(before)
      })

      it('GIVEN a cookie session WHEN it POSTs with its own CSRF token THEN the check passes', async () => {
        const session = await sessionFor(t.app, 'vanthu')
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/me/tokens',
          payload: { name: 'Có CSRF' },
          headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
        })
        expect(response.statusCode).toBe(201)
      })

      it('GIVEN a bearer token WHEN it POSTs THEN no CSRF token is needed (no ambient credential to forge)', async () => {
        const response = await t.app.inject({ method: 'POST', url: '/api/me/tokens', payload: { name: 'Bearer' }, headers: org.users.clerk.headers })
        expect(response.statusCode).toBe(201)
      })
    })

    describe('token scopes and token life', () => {
      const createToken = async (payload: object) => {
        const response = await t.app.inject({ method: 'POST', url: '/api/me/tokens', payload, headers: org.users.clerk.headers })
        expect(response.statusCode).toBe(201)
        const body = response.json()
        return { id: body.id as string, scopes: body.scopes as string[], headers: { authorization: `Bearer ${body.token}` } }
      }

      it('GIVEN a token with only the read scope WHEN it GETs THEN 200, WHEN it POSTs, PATCHes or DELETEs THEN 403 forbidden', async () => {
        const read = await createToken({ name: 'Chỉ đọc', scopes: ['read'] })
        expect((await t.app.inject({ url: '/api/documents', headers: read.headers })).statusCode).toBe(200)
        expect((await t.app.inject({ url: '/api/auth/session', headers: read.headers })).statusCode).toBe(200)
        const writes: InjectOptions[] = [
          { method: 'POST', url: '/api/documents', payload: {} },
          { method: 'POST', url: '/api/me/tokens', payload: { name: 'leo thang' } },
          { method: 'POST', url: '/api/me/password', payload: { currentPassword: 'x', newPassword: 'y' } },
          { method: 'DELETE', url: `/api/me/tokens/${read.id}` },
          { method: 'POST', url: '/api/auth/logout' },
        ]
        for (const write of writes) expectProblem(await t.app.inject({ ...write, headers: read.headers }), 403, 'forbidden')
        // The DELETE above was refused: the token still works.
        expect((await t.app.inject({ url: '/api/documents', headers: read.headers })).statusCode).toBe(200)
      })

      it('GIVEN a token created without scopes WHEN used THEN it may only read', async () => {
        const token = await createToken({ name: 'Mặc định' })
        expect(token.scopes).toEqual(['read'])
        expectProblem(await t.app.inject({ method: 'POST', url: '/api/me/tokens', payload: { name: 'x' }, headers: token.headers }), 403, 'forbidden')
      })

      it('GIVEN a token with only the write scope WHEN it GETs THEN 403 forbidden', async () => {
        const write = await createToken({ name: 'Chỉ ghi', scopes: ['write'] })
        expectProblem(await t.app.inject({ url: '/api/documents', headers: write.headers }), 403, 'forbidden')
      })

      it('GIVEN a revoked token WHEN used THEN 401', async () => {
        const token = await createToken({ name: 'Thu hồi', scopes: ['read', 'write'] })
        const revoke = await t.app.inject({ method: 'DELETE', url: `/api/me/tokens/${token.id}`, headers: org.users.clerk.headers })
        expect(revoke.statusCode).toBe(204)
        expectProblem(await t.app.inject({ url: '/api/documents', headers: token.headers }), 401, 'unauthenticated')
      })

      it('GIVEN an expired token WHEN used THEN 401', async () => {
        const token = await createToken({ name: 'Hết hạn', expiresInDays: 1 })
        expect((await t.app.inject({ url: '/api/documents', headers: token.headers })).statusCode).toBe(200)
        await t.platform.database.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, token.id))
        expectProblem(await t.app.inject({ url: '/api/documents', headers: token.headers }), 401, 'unauthenticated')
      })

      it('GIVEN another user’s token id WHEN revoked through my account THEN 404 and their token keeps working', async () => {
        const theirs = await t.app.inject({ method: 'POST', url: '/api/me/tokens', payload: { name: 'Của lãnh đạo' }, headers: org.users.leader.headers })
        const { id, token } = theirs.json()
        expectProblem(await t.app.inject({ method: 'DELETE', url: `/api/me/tokens/${id}`, headers: org.users.clerk.headers }), 404, 'not-found')
        expect((await t.app.inject({ url: '/api/auth/session', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200)
      })
    })
  })
})
