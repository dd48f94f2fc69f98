import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../platform/errors.ts'
import { sendProblem } from '../platform/http/problem-handler.ts'

export const WEB_DIST = fileURLToPath(new URL('../../dist/web', import.meta.url))

/**
 * Serves the built single-page app (dist/web, made by `npm run build:web`) at `/`, with index.html for
 * any other browser path so the app's own router takes over. API paths keep their problem+json 404.
 */
export async function registerWebUi(app: FastifyInstance, distDir = WEB_DIST): Promise<void> {
  const index = path.join(distDir, 'index.html')
  if (!existsSync(index)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('Giao diện chưa được dựng: chạy `npm run build:web`.\nThe web UI is not built: run `npm run build:web`.'),
    )
    return
  }
  await app.register(fastifyStatic, {
    root: distDir,
    wildcard: false,
    index: false,
    // Hashed asset names never change: cache them for a year; index.html is always revalidated.
    setHeaders(res, filePath) {
      res.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache')
    },
  })
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api') && !path.extname(request.url.split('?')[0]!)
    if (wantsPage) return reply.header('cache-control', 'no-cache').sendFile('index.html')
    return sendProblem(request, reply, new AppError('route-not-found'))
  })
}
