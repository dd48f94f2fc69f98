import { randomUUID } from 'node:crypto'
import multipart from '@fastify/multipart'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import { auditRoutes } from './audit/audit.routes.ts'
import { DocumentFileSchema, DocumentSchema } from './documents/documents.schemas.ts'
import { documentsRoutes } from './documents/documents.routes.ts'
import { jobsRoutes } from './jobs/jobs.routes.ts'
import { healthRoutes } from './ops/health.routes.ts'
import { ProblemSchema } from './platform/http/common.schemas.ts'
import { platformPlugin } from './platform/http/platform.plugin.ts'
import { registerProblemHandler } from './platform/http/problem-handler.ts'
import type { Platform } from './platform/platform.ts'

export interface AppOptions {
  platform: Platform
  /** Close the platform when the app closes (the server does; tests that share a platform do not). */
  closePlatformWithApp?: boolean
  logger?: boolean
}

/** Builds the HTTP service. Every capability is registered here, with its prefix. */
export async function buildApp({ platform, closePlatformWithApp = true, logger = true }: AppOptions): Promise<FastifyInstance> {
  const { config } = platform
  const app = Fastify({
    logger: logger ? { level: config.logLevel } : false,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    requestTimeout: config.requestTimeoutMs,
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  registerProblemHandler(app)

  await app.register(platformPlugin, { platform, closeWithApp: closePlatformWithApp })
  app.addSchema(ProblemSchema)
  app.addSchema(DocumentFileSchema)
  app.addSchema(DocumentSchema)

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'vanthu API',
        description: 'Quản lý văn bản và hồ sơ điện tử — electronic documents and records management',
        version: '0.1.0',
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  await app.register(multipart, { limits: { fileSize: config.uploadMaxBytes, files: 1 } })

  await app.register(healthRoutes)
  await app.register(documentsRoutes, { prefix: '/api/documents' })
  await app.register(auditRoutes, { prefix: '/api/audit' })
  await app.register(jobsRoutes, { prefix: '/api/jobs' })
  return app
}
