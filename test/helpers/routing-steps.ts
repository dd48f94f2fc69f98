import { readFile } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'
import { type Headers, tokenFor, USER_PASSWORD } from './accounts.ts'
import { corpusFile } from './corpus.ts'
import { multipartBody } from './multipart.ts'

/** Registers fresh incoming documents as the given clerk: a distinct PDF each time (no duplicate hash). */
export async function incomingRegistrar(
  app: FastifyInstance,
  clerk: Headers,
): Promise<() => Promise<string>> {
  const pdf = await readFile(corpusFile('012.pdf'))
  let n = 0
  return async () => {
    const { payload, headers } = multipartBody([
      { name: 'kind', value: 'Quyết định' },
      {
        name: 'file',
        fileName: 'qd.pdf',
        contentType: 'application/pdf',
        data: Buffer.concat([pdf, Buffer.from(`\n% routing ${n++}\n`)]),
      },
    ])
    const response = await app.inject({
      method: 'POST',
      url: '/api/incoming',
      payload,
      headers: { ...headers, ...clerk },
    })
    if (response.statusCode !== 201) throw new Error(`register: ${response.statusCode} ${response.body}`)
    return response.json().id as string
  }
}

/** POST /api/documents/:id/routing/:action as the given user. */
export const routingStep = (
  app: FastifyInstance,
  id: string,
  action: string,
  body: object,
  headers: Headers,
) => app.inject({ method: 'POST', url: `/api/documents/${id}/routing/${action}`, payload: body, headers })

/** One more account, created by the admin and signed in (for parts the seeded agency lacks). */
export async function extraUser(
  app: FastifyInstance,
  admin: Headers,
  user: { username: string; fullName: string; roles: string[]; departmentId: string; email?: string },
): Promise<{ id: string; headers: Headers }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/users',
    payload: { clearance: 0, password: USER_PASSWORD, ...user },
    headers: admin,
  })
  if (response.statusCode !== 201)
    throw new Error(`user ${user.username}: ${response.statusCode} ${response.body}`)
  return { id: response.json().id, headers: await tokenFor(app, user.username) }
}
