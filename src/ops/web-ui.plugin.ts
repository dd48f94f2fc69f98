import { existsSync } from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { WEB_DIST_DIR } from '../platform/paths.ts'


/**
 * Serves the built single-page app (dist/web, made by `npm run build:web`) at `/`, with index.html for
 * any other browser path (through the answered fallback) so the app's own router takes over.
 */
export async function registerWebUi(app: FastifyInstance, distDir = WEB_DIST_DIR): Promise<PageFallback | undefined> {
  const index = path.join(distDir, 'index.html')
  if (!existsSync(index)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('Giao diện chưa được dựng: chạy `npm run build:web`.\nThe web UI is not built: run `npm run build:web`.'),
    )
    return undefined
  }
  await app.register(fastifyStatic, {
    root: distDir,
    // Files are looked up per request, so a rebuilt UI is served without a restart.
    wildcard: true,
    index: false,
    // Hashed asset names never change: cache them for a year; index.html is always revalidated.
    setHeaders(res, filePath) {
      res.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache')
    },
  })
  return (request, reply) => {
    const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/api') && !path.extname(request.url.split('?')[0]!)
    return wantsPage ? reply.header('cache-control', 'no-cache').sendFile('index.html') : undefined
  }
}

type PageFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined
