import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

const CHECK_TIMEOUT_MS = 5000

/** Liveness (the process answers) and readiness (its database and storage answer too). */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    { schema: { summary: 'Process alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } }, logLevel: 'warn' },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        summary: 'Database and storage reachable',
        response: {
          200: ReadinessSchema,
          503: ReadinessSchema,
        },
      },
    },
    async (_request, reply) => {
      const { database, blobStore } = app.platform
      const [db, storage] = await Promise.all([probe(() => database.ping()), probe(() => blobStore.check())])
      const ready = db === 'ok' && storage === 'ok'
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not-ready',
        checks: { database: db, storage },
        databaseDriver: database.kind,
        storageDriver: app.platform.config.storage.driver,
      })
    },
  )
}

const ReadinessSchema = Type.Object({
  status: Type.String(),
  checks: Type.Object({ database: Type.String(), storage: Type.String() }),
  databaseDriver: Type.String(),
  storageDriver: Type.String(),
})

async function probe(check: () => Promise<void>): Promise<string> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)
      }),
    ])
    return 'ok'
  } catch (error) {
    return `error: ${(error as Error).message}`
  } finally {
    clearTimeout(timer)
  }
}
