import { randomUUID } from 'node:crypto'
import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import { accessPlugin } from './access/access.plugin.ts'
import { grantsRoutes } from './access/grants.routes.ts'
import { auditRoutes } from './audit/audit.routes.ts'
import { checkpointRoutes } from './audit/checkpoints/checkpoints.routes.ts'
import { accountRoutes } from './auth/account.routes.ts'
import { UserSchema } from './auth/auth.schemas.ts'
import { authRoutes } from './auth/auth.routes.ts'
import { DocumentFileSchema, DocumentSchema } from './documents/documents.schemas.ts'
import { documentsRoutes } from './documents/documents.routes.ts'
import { incomingRoutes } from './incoming/incoming.routes.ts'
import { suggestRoutes } from './suggest/suggest.routes.ts'
import { followupRoutes } from './followup/followup.routes.ts'
import { jobsRoutes } from './jobs/jobs.routes.ts'
import { routingRoutes } from './routing/routing.routes.ts'
import { timelineRoutes } from './timeline/timeline.routes.ts'
import { textRoutes } from './text/text.routes.ts'
import { searchRoutes } from './search/search.routes.ts'
import { registerExportRoutes } from './registers/register-export.routes.ts'
import { recordsRoutes } from './records/records.routes.ts'
import { healthRoutes } from './ops/health.routes.ts'
import { registerWebUi } from './ops/web-ui.plugin.ts'
import { directoryRoutes } from './organisation/directory.routes.ts'
import { organisationRoutes } from './organisation/organisation.routes.ts'
import { ProblemSchema } from './platform/http/common.schemas.ts'
import { lazySchemaCompilers } from './platform/http/lazy-schemas.ts'
import { platformPlugin } from './platform/http/platform.plugin.ts'
import { credentialRoutes } from './signatures/credentials/credentials.routes.ts'
import { credentialAdminRoutes } from './signatures/credentials/credentials-admin.routes.ts'
import { trustAnchorRoutes } from './signatures/trust/trust.routes.ts'
import { revocationListRoutes } from './signatures/revocation-lists/revocation-lists.routes.ts'
import { registerNotFound, registerProblemHandler } from './platform/http/problem-handler.ts'
import { registerTextGuard } from './platform/http/text-guard.ts'
import { verifyRoutes } from './signatures/verify.routes.ts'
import { signatureImageRoutes } from './signatures/images/images.routes.ts'
import { signatureRequestRoutes } from './signatures/requests/requests.routes.ts'
import { signingRoutes } from './signatures/signing/signing.routes.ts'
import type { Platform } from './platform/platform.ts'
import type { ForegroundActivity } from './platform/http/foreground-activity.ts'
import { OutgoingViewSchema } from './outgoing/outgoing.schemas.ts'
import { outgoingRoutes } from './outgoing/outgoing.routes.ts'
import { outgoingLifecycleRoutes } from './outgoing/outgoing-lifecycle.routes.ts'
import { outgoingDirectoryRoutes } from './outgoing/outgoing-directory.routes.ts'

export interface AppOptions {
  platform: Platform
  /** Close the platform when the app closes (the server does; tests that share a platform do not). */
  closePlatformWithApp?: boolean
  logger?: boolean
  /** Counts write requests, for job workers running in this process to give way to (server.ts). */
  foreground?: ForegroundActivity
}

/** Builds the HTTP service. Every capability is registered here, with its prefix. */
export async function buildApp({ platform, closePlatformWithApp = true, logger = true, foreground }: AppOptions): Promise<FastifyInstance> {
  const { config } = platform
  const schemas = lazySchemaCompilers()
  const app = Fastify({
    logger: logger ? { level: config.logLevel } : false,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    requestTimeout: config.requestTimeoutMs,
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
    // Route schemas compile on first use and then in the background: a start does not wait for ~150 routes.
    schemaController: { compilersFactory: schemas.compilersFactory },
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.decorate('compileRemainingSchemas', schemas.compileRemaining)
  app.addHook('onListen', async () => {
    schemas.compileRemaining().catch((error: unknown) => app.log.error({ err: error }, 'a route schema does not compile'))
  })

  // While shutting down, answers close their connection: a keep-alive client must not hold the exit.
  let closing = false
  let idleSweep: NodeJS.Timeout | undefined
  app.addHook('preClose', async () => {
    closing = true
    // Node closes the connections idle when close() starts; one that finishes its request later would
    // stay open and hold the exit (seen in the process tests), so keep closing the idle ones until done.
    idleSweep = setInterval(() => app.server.closeIdleConnections(), 500)
    idleSweep.unref()
  })
  app.addHook('onClose', async () => clearInterval(idleSweep))
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
    if (closing) reply.header('connection', 'close')
  })
  foreground?.track(app)
  registerProblemHandler(app)
  // Control characters in any text input are refused before any route sees them (issue 13).
  registerTextGuard(app)

  await app.register(platformPlugin, { platform, closeWithApp: closePlatformWithApp })
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // blob: previews a file chosen for registration before it is uploaded (object URLs).
        imgSrc: ["'self'", 'data:', 'blob:'],
        frameSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The PDF viewer opens document files in the same origin.
    crossOriginEmbedderPolicy: false,
  })
  await app.register(cookie)
  await app.register(rateLimit, { global: false })
  const authDeps = { database: platform.database, secretBox: platform.secretBox, auth: config.auth }
  await app.register(accessPlugin, { deps: authDeps })
  app.addSchema(ProblemSchema)
  app.addSchema(UserSchema)
  app.addSchema(DocumentFileSchema)
  app.addSchema(DocumentSchema)
  app.addSchema(OutgoingViewSchema)

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
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // swagger-ui needs inline styles and scripts of its own: relax the policy on its pages only.
    staticCSP: true,
    transformStaticCSP: () =>
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  })
  await app.register(multipart, { limits: { fileSize: config.uploadMaxBytes, files: 1 } })

  await registerWebUi(app)
  registerNotFound(app)
  await app.register(healthRoutes)
  await app.register(authRoutes(authDeps), { prefix: '/api/auth' })
  await app.register(accountRoutes(authDeps), { prefix: '/api/me' })
  await app.register(organisationRoutes(platform), { prefix: '/api/admin' })
  await app.register(directoryRoutes(platform.database), { prefix: '/api/directory' })
  await app.register(documentsRoutes, { prefix: '/api/documents' })
  await app.register(grantsRoutes({ database: platform.database, jobs: platform.jobs }), { prefix: '/api/documents' })
  await app.register(incomingRoutes, { prefix: '/api/incoming' })
  await app.register(suggestRoutes, { prefix: '/api/incoming' })
  await app.register(routingRoutes, { prefix: '/api/documents' })
  await app.register(timelineRoutes, { prefix: '/api/documents' })
  await app.register(textRoutes, { prefix: '/api/documents' })
  await app.register(searchRoutes, { prefix: '/api/search' })
  await app.register(registerExportRoutes, { prefix: '/api/registers' })
  await app.register(auditRoutes, { prefix: '/api/audit' })
  await app.register(checkpointRoutes(platform), { prefix: '/api/audit' })
  await app.register(jobsRoutes, { prefix: '/api/jobs' })
  await app.register(followupRoutes, { prefix: '/api' })
  await app.register(verifyRoutes, { prefix: '/api' })
  await app.register(signingRoutes(platform), { prefix: '/api' })
  await app.register(credentialRoutes({ database: platform.database, secretBox: platform.secretBox }), { prefix: '/api' })
  await app.register(credentialAdminRoutes({ database: platform.database, secretBox: platform.secretBox }), { prefix: '/api' })
  await app.register(trustAnchorRoutes({ database: platform.database }), { prefix: '/api/admin/trust-anchors' })
  await app.register(revocationListRoutes({ database: platform.database }), { prefix: '/api/admin/revocation-lists' })
  await app.register(signatureRequestRoutes(platform), { prefix: '/api' })
  await app.register(signatureImageRoutes(platform), { prefix: '/api' })
  await app.register(recordsRoutes, { prefix: '/api/records' })
  await app.register(outgoingDirectoryRoutes(platform), { prefix: '/api/outgoing' })
  await app.register(outgoingRoutes({ platform }), { prefix: '/api/outgoing' })
  await app.register(outgoingLifecycleRoutes({ platform }), { prefix: '/api/documents' })
  return app
}
