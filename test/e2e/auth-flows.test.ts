import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectProblem, totpStepsFromNow, wrongTotp } from '../helpers/access-fixtures.ts'
import {
  type Headers,
  type Organisation,
  seedOrganisation,
  sessionFor,
  tokenFor,
  USER_PASSWORD,
} from '../helpers/accounts.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

const WRONG_PASSWORD = 'Sai mật khẩu hoàn toàn 2026'

const login = (app: FastifyInstance, username: string, password = USER_PASSWORD) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
const scriptToken = (app: FastifyInstance, payload: { username: string; password: string; totp?: string }) =>
  app.inject({ method: 'POST', url: '/api/auth/token', payload })
const sessionCookie = (response: Awaited<ReturnType<typeof login>>) =>
  response.cookies.find((c) => c.name === 'vanthu_session')

// Within the CI budget: PGlite only; the same SQL runs on PostgreSQL in the other e2e files.
describe.each([pgliteDriver])('sign-in flows on $name', (driver) => {
  let t: TestApp
  let org: Organisation

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } })
    org = await seedOrganisation(t.platform, t.app)
  })
  afterAll(async () => t?.close())

  const call = (request: InjectOptions, headers: Headers) =>
    t.app.inject({ ...request, headers: { ...request.headers, ...headers } })
  const asAdmin = (request: InjectOptions) => call(request, org.admin)
  const createUser = async (username: string, roles: string[] = ['officer']) => {
    const response = await asAdmin({
      method: 'POST',
      url: '/api/admin/users',
      payload: {
        username,
        fullName: `Người dùng ${username}`,
        roles,
        departmentId: org.departments.economy,
        password: USER_PASSWORD,
      },
    })
    expect(response.statusCode).toBe(201)
    return response.json().id as string
  }
  const enrolTotp = async (headers: Headers) => {
    const setup = await call({ method: 'POST', url: '/api/me/totp/setup' }, headers)
    expect(setup.statusCode).toBe(200)
    const secret = setup.json().secret as string
    const codes = await totpStepsFromNow(secret)
    const enable = await call(
      { method: 'POST', url: '/api/me/totp/enable', payload: { code: codes.previous } },
      headers,
    )
    expect(enable.statusCode).toBe(200)
    return { secret, codes, recoveryCodes: enable.json().recoveryCodes as string[] }
  }

  describe.skipIf(!driver.available)('(needs the database)', () => {
    describe('password sign-in and sessions', () => {
      it('GIVEN the right password WHEN signing in THEN an httpOnly SameSite=Lax session cookie and a CSRF token, and no secrets', async () => {
        const response = await login(t.app, 'VanThu')
        expect(response.statusCode).toBe(200)
        const body = response.json()
        expect(body).toMatchObject({
          status: 'ok',
          user: { username: 'vanthu', roles: ['clerk'], totpEnabled: false },
        })
        expect(body.csrfToken).toMatch(/^[\w-]{20,}$/)
        expect(response.body).not.toMatch(/passwordHash|password_hash|totpSecret|argon2/)
        const cookie = sessionCookie(response)
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
        expect(cookie?.value).toMatch(/^[\w-]{40,}$/)
        expect(cookie?.expires?.getTime()).toBeGreaterThan(Date.now())
        const session = await t.app.inject({
          url: '/api/auth/session',
          headers: { cookie: `vanthu_session=${cookie?.value}` },
        })
        expect(session.statusCode).toBe(200)
        expect(session.json()).toMatchObject({
          user: { username: 'vanthu' },
          csrfToken: body.csrfToken,
          mfaEnrollmentRequired: false,
        })
      })

      it('GIVEN a session WHEN logging out THEN the cookie is cleared and the session no longer opens anything', async () => {
        const session = await sessionFor(t.app, 'vanthu')
        const out = await t.app.inject({
          method: 'POST',
          url: '/api/auth/logout',
          headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
        })
        expect(out.statusCode).toBe(204)
        expect(out.cookies.find((c) => c.name === 'vanthu_session')?.value).toBe('')
        expectProblem(
          await t.app.inject({ url: '/api/auth/session', headers: { cookie: session.cookie } }),
          401,
          'unauthenticated',
        )
        expectProblem(
          await t.app.inject({ url: '/api/documents', headers: { cookie: session.cookie } }),
          401,
          'unauthenticated',
        )
      })

      it('GIVEN a wrong password or an unknown user WHEN signing in THEN the same 401 invalid-credentials answer, and no cookie', async () => {
        const wrong = await login(t.app, 'vanthu', WRONG_PASSWORD)
        const unknown = await login(t.app, 'khongtontai', WRONG_PASSWORD)
        expectProblem(wrong, 401, 'invalid-credentials')
        expect(unknown.statusCode).toBe(401)
        expect(unknown.json()).toEqual(wrong.json())
        expect(sessionCookie(wrong)).toBeUndefined()
        expect(sessionCookie(unknown)).toBeUndefined()
        // A success clears the count, so the later tests start from zero failures for this user.
        expect((await login(t.app, 'vanthu')).statusCode).toBe(200)
      })

      it('GIVEN an admin ending all sessions of a user WHEN the user comes back with their cookies or tokens THEN 401', async () => {
        const first = await sessionFor(t.app, 'vanthu')
        const second = await sessionFor(t.app, 'vanthu')
        const revokeUrl = `/api/admin/users/${org.users.clerk.id}/sessions/revoke`
        expectProblem(
          await call({ method: 'POST', url: revokeUrl }, org.users.leader.headers),
          403,
          'forbidden',
        )
        expect(
          (await t.app.inject({ url: '/api/auth/session', headers: { cookie: first.cookie } })).statusCode,
        ).toBe(200)
        expect((await asAdmin({ method: 'POST', url: revokeUrl })).statusCode).toBe(204)
        for (const session of [first, second]) {
          expectProblem(
            await t.app.inject({ url: '/api/auth/session', headers: { cookie: session.cookie } }),
            401,
            'unauthenticated',
          )
        }
        // "Everywhere" includes the user's API tokens.
        expectProblem(
          await call({ url: '/api/auth/session' }, org.users.clerk.headers),
          401,
          'unauthenticated',
        )
        org.users.clerk.headers = await tokenFor(t.app, 'vanthu')
      })
    })

    describe('lockout', () => {
      it('GIVEN five failures in a row (any letter case) WHEN the right password comes THEN 429 login-locked with Retry-After, for a known and an unknown name alike', async () => {
        await createUser('bikhoa')
        const fail = async (names: string[]) => {
          const codes: string[] = []
          for (const username of names) codes.push((await login(t.app, username, WRONG_PASSWORD)).json().code)
          return codes
        }
        const [known, unknown] = await Promise.all([
          fail(['bikhoa', 'BiKhoa', 'BIKHOA', 'bikhoa', 'Bikhoa']),
          fail(['nguoila', 'nguoila', 'NguoiLa', 'nguoila', 'nguoila']),
        ])
        expect(known).toEqual(Array(5).fill('invalid-credentials'))
        expect(unknown).toEqual(known)

        const locked = await login(t.app, 'bikhoa')
        expectProblem(locked, 429, 'login-locked')
        const retryAfter = Number(locked.headers['retry-after'])
        expect(retryAfter).toBeGreaterThan(0)
        expect(retryAfter).toBeLessThanOrEqual(60)
        expect(sessionCookie(locked)).toBeUndefined()
        expectProblem(
          await scriptToken(t.app, { username: 'bikhoa', password: USER_PASSWORD }),
          429,
          'login-locked',
        )

        const lockedUnknown = await login(t.app, 'nguoila')
        expectProblem(lockedUnknown, 429, 'login-locked')
        const { instance: _a, ...knownBody } = locked.json()
        const { instance: _b, ...unknownBody } = lockedUnknown.json()
        expect(unknownBody).toEqual(knownBody)
      })
    })

    describe('inactive accounts', () => {
      it('GIVEN a user made inactive WHEN they sign in or use their cookie or token THEN 401, like a wrong password', async () => {
        const archivist = org.users.archivist
        const session = await sessionFor(t.app, 'luutru')
        const wrongPassword = await login(t.app, 'luutru', WRONG_PASSWORD)
        expect((await login(t.app, 'luutru')).statusCode).toBe(200)

        const deactivate = await asAdmin({
          method: 'PATCH',
          url: `/api/admin/users/${archivist.id}`,
          payload: { active: false },
        })
        expect(deactivate.json()).toMatchObject({ active: false })
        const refused = await login(t.app, 'luutru')
        expect(refused.json()).toEqual(wrongPassword.json())
        expect(sessionCookie(refused)).toBeUndefined()
        expectProblem(
          await scriptToken(t.app, { username: 'luutru', password: USER_PASSWORD }),
          401,
          'invalid-credentials',
        )
        expectProblem(
          await t.app.inject({ url: '/api/documents', headers: archivist.headers }),
          401,
          'unauthenticated',
        )
        expectProblem(
          await t.app.inject({ url: '/api/auth/session', headers: { cookie: session.cookie } }),
          401,
          'unauthenticated',
        )

        await asAdmin({ method: 'PATCH', url: `/api/admin/users/${archivist.id}`, payload: { active: true } })
        expect((await login(t.app, 'luutru')).statusCode).toBe(200)
        // The session ended by the deactivation stays ended.
        expectProblem(
          await t.app.inject({ url: '/api/auth/session', headers: { cookie: session.cookie } }),
          401,
          'unauthenticated',
        )
      })
    })

    describe('two-factor authentication (TOTP)', () => {
      const officer = () => org.users.officer.headers
      let secret: string
      let codes: Awaited<ReturnType<typeof totpStepsFromNow>>
      let recoveryCodes: string[]
      const challenge = async () => {
        const response = await login(t.app, 'chuyenvien')
        expect(response.statusCode).toBe(200)
        expect(sessionCookie(response)).toBeUndefined()
        const body = response.json()
        expect(body).toEqual({ status: 'mfa-required', challengeId: expect.any(String) })
        return body.challengeId as string
      }
      const second = (challengeId: string, code: string) =>
        t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challengeId, code } })

      it('GIVEN setup WHEN enabled with a wrong code THEN 401 invalid-totp; WHEN with a right code THEN ten one-time recovery codes', async () => {
        const setup = await call({ method: 'POST', url: '/api/me/totp/setup' }, officer())
        expect(setup.statusCode).toBe(200)
        secret = setup.json().secret
        expect(setup.json().otpauthUrl).toMatch(/^otpauth:\/\/totp\//)
        expect(setup.json().qrDataUrl).toMatch(/^data:image\/png;base64,/)
        codes = await totpStepsFromNow(secret)
        const wrong = wrongTotp(Object.values(codes))
        expectProblem(
          await call({ method: 'POST', url: '/api/me/totp/enable', payload: { code: wrong } }, officer()),
          401,
          'invalid-totp',
        )
        const enable = await call(
          { method: 'POST', url: '/api/me/totp/enable', payload: { code: codes.previous } },
          officer(),
        )
        expect(enable.statusCode).toBe(200)
        recoveryCodes = enable.json().recoveryCodes
        expect(recoveryCodes).toHaveLength(10)
        expect(new Set(recoveryCodes).size).toBe(10)
        for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/)
        expect((await call({ url: '/api/auth/session' }, officer())).json().user.totpEnabled).toBe(true)
      })

      it('GIVEN TOTP on WHEN the password is right THEN mfa-required; a wrong code 401 invalid-totp; the right code a session; the challenge is spent', async () => {
        const challengeId = await challenge()
        expectProblem(await second(challengeId, wrongTotp(Object.values(codes))), 401, 'invalid-totp')
        const ok = await second(challengeId, codes.current)
        expect(ok.statusCode).toBe(200)
        expect(ok.json()).toMatchObject({ status: 'ok', user: { username: 'chuyenvien' } })
        expect(sessionCookie(ok)).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
        expectProblem(await second(challengeId, codes.next), 401, 'login-challenge-expired')
      })

      it('GIVEN a code already used WHEN it is replayed in a new sign-in THEN 401 invalid-totp, and an older code too', async () => {
        const challengeId = await challenge()
        expectProblem(await second(challengeId, codes.current), 401, 'invalid-totp')
        expectProblem(await second(challengeId, codes.previous), 401, 'invalid-totp')
      })

      it('GIVEN a recovery code WHEN used THEN it signs in once, and never again', async () => {
        const code = recoveryCodes[0]!
        const first = await second(await challenge(), code.toUpperCase())
        expect(first.statusCode).toBe(200)
        expect(sessionCookie(first)).toBeDefined()
        expectProblem(await second(await challenge(), code), 401, 'invalid-totp')
      })

      it('GIVEN a made-up challenge WHEN a right code comes with it THEN 401 login-challenge-expired', async () => {
        expectProblem(
          await second('ZmFrZS1jaGFsbGVuZ2UtaWQtMTIzNDU2Nzg5MA', recoveryCodes[1]!),
          401,
          'login-challenge-expired',
        )
      })

      it('GIVEN TOTP on WHEN a script token is asked without or with a spent code THEN 401 invalid-credentials; with a fresh code THEN a token', async () => {
        const credentials = { username: 'chuyenvien', password: USER_PASSWORD }
        expectProblem(await scriptToken(t.app, credentials), 401, 'invalid-credentials')
        expectProblem(
          await scriptToken(t.app, { ...credentials, totp: codes.current }),
          401,
          'invalid-credentials',
        )
        const issued = await scriptToken(t.app, { ...credentials, totp: codes.next })
        expect(issued.statusCode).toBe(200)
        const token = issued.json().token as string
        expect(token).toMatch(/^vt_/)
        expect(
          (
            await t.app.inject({ url: '/api/auth/session', headers: { authorization: `Bearer ${token}` } })
          ).json().user.username,
        ).toBe('chuyenvien')
      })
    })

    describe('password policy', () => {
      it('GIVEN a short new password WHEN changing mine THEN 400 with a Vietnamese message on newPassword, and the old password still works', async () => {
        const response = await call(
          {
            method: 'POST',
            url: '/api/me/password',
            payload: { currentPassword: USER_PASSWORD, newPassword: 'ngắn quá' },
          },
          org.users.clerk.headers,
        )
        expectProblem(response, 400, 'validation-failed')
        expect(response.json().errors).toContainEqual(
          expect.objectContaining({
            field: 'newPassword',
            message: 'Mật khẩu cần ít nhất 12 ký tự.',
            messageEn: expect.any(String),
          }),
        )
        expect((await login(t.app, 'vanthu')).statusCode).toBe(200)
      })

      it('GIVEN a new password containing the username or a wrong current password WHEN changing mine THEN 400 naming the field', async () => {
        const change = (payload: object) =>
          call({ method: 'POST', url: '/api/me/password', payload }, org.users.clerk.headers)
        const withName = await change({
          currentPassword: USER_PASSWORD,
          newPassword: 'vanthu của phòng hành chính',
        })
        expect(withName.json().errors).toContainEqual(
          expect.objectContaining({
            field: 'newPassword',
            message: 'Mật khẩu không được chứa tên đăng nhập.',
          }),
        )
        const wrongCurrent = await change({
          currentPassword: WRONG_PASSWORD,
          newPassword: 'Một mật khẩu mới rất dài 2026',
        })
        expectProblem(wrongCurrent, 400, 'validation-failed')
        expect(wrongCurrent.json().errors).toContainEqual(
          expect.objectContaining({ field: 'currentPassword', message: 'Mật khẩu hiện tại không đúng.' }),
        )
      })
    })

    describe('audit of sign-ins and access changes', () => {
      it('GIVEN sign-ins, failures and a role change WHEN the admin reads the audit events THEN they are there with the client address, and no password', async () => {
        const leader = org.users.leader
        await login(t.app, 'lanhdao')
        await login(t.app, 'lanhdao', WRONG_PASSWORD)
        await login(t.app, 'lanhdao')
        const promote = await asAdmin({
          method: 'PATCH',
          url: `/api/admin/users/${leader.id}`,
          payload: { roles: ['leader', 'clerk'] },
        })
        expect(promote.statusCode).toBe(200)

        const events = await asAdmin({ url: '/api/audit/events?limit=500' })
        expect(events.statusCode).toBe(200)
        type Event = {
          actor: string
          action: string
          targetId: string | null
          details: Record<string, unknown>
        }
        const items = events.json().items as Event[]
        const about = (action: string) => items.filter((e) => e.action === action && e.targetId === leader.id)
        expect(about('auth.login-succeeded')[0]).toMatchObject({
          actor: `user:${leader.id}`,
          details: { method: 'password', ip: '127.0.0.1' },
        })
        expect(about('auth.login-failed')[0]).toMatchObject({
          details: { username: 'lanhdao', reason: 'bad-password', ip: '127.0.0.1' },
        })
        expect(
          items.find((e) => e.action === 'auth.login-failed' && e.details.username === 'khongtontai'),
        ).toMatchObject({
          targetId: null,
          details: { reason: 'unknown-user', ip: '127.0.0.1' },
        })
        expect(
          items.find((e) => e.action === 'auth.login-refused' && e.details.username === 'bikhoa'),
        ).toMatchObject({ details: { reason: 'locked' } })
        expect(about('user.access-changed')[0]).toMatchObject({
          actor: `user:${org.users.admin.id}`,
          details: { changes: { roles: { from: ['leader'], to: ['leader', 'clerk'] } }, ip: '127.0.0.1' },
        })
        expect(
          items.filter((e) => e.action === 'user.access-changed' && e.targetId === org.users.archivist.id),
        ).toHaveLength(2)
        expect(events.body).not.toContain(USER_PASSWORD)
        expect(events.body).not.toContain(WRONG_PASSWORD)
        expect((await asAdmin({ url: '/api/audit/verify' })).json()).toMatchObject({ ok: true })
      })
    })

    describe('agency requiring 2FA for privileged roles', () => {
      it('GIVEN requireMfaForPrivileged WHEN the leader without TOTP reads documents THEN 403 mfa-enrollment-required, but their own account stays reachable', async () => {
        const leader = org.users.leader.headers
        // An admin without 2FA may not impose it: they would lock themselves out at once.
        const refused = await asAdmin({
          method: 'PATCH',
          url: '/api/admin/agency',
          payload: { requireMfaForPrivileged: true },
        })
        expectProblem(refused, 400, 'validation-failed')
        expect(refused.json().errors[0]).toMatchObject({ field: 'requireMfaForPrivileged' })
        await enrolTotp(org.admin)
        const on = await asAdmin({
          method: 'PATCH',
          url: '/api/admin/agency',
          payload: { requireMfaForPrivileged: true },
        })
        expect(on.json()).toMatchObject({ requireMfaForPrivileged: true })

        expectProblem(await call({ url: '/api/documents' }, leader), 403, 'mfa-enrollment-required')
        expect((await asAdmin({ url: '/api/admin/users' })).statusCode).toBe(200)
        expect((await call({ url: '/api/me/tokens' }, leader)).statusCode).toBe(200)
        const session = await call({ url: '/api/auth/session' }, leader)
        expect(session.json()).toMatchObject({ mfaEnrollmentRequired: true })
        // Clerks and officers are not privileged.
        expect((await call({ url: '/api/documents' }, org.users.clerk.headers)).statusCode).toBe(200)

        await enrolTotp(leader)
        expect((await call({ url: '/api/documents' }, leader)).statusCode).toBe(200)
        expect((await call({ url: '/api/auth/session' }, leader)).json()).toMatchObject({
          mfaEnrollmentRequired: false,
        })

        const off = await asAdmin({
          method: 'PATCH',
          url: '/api/admin/agency',
          payload: { requireMfaForPrivileged: false },
        })
        expect(off.json()).toMatchObject({ requireMfaForPrivileged: false })
      })

      it('GIVEN the setting changed WHEN the admin reads the audit THEN the change is recorded', async () => {
        const items = (await asAdmin({ url: '/api/audit/events?targetType=agency' })).json().items as {
          action: string
          details: { changes?: object }
        }[]
        expect(items.map((e) => e.details.changes)).toContainEqual({
          requireMfaForPrivileged: { from: true, to: false },
        })
      })
    })
  })
})
