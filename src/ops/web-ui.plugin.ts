import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { WEB_DIST_DIR } from '../platform/paths.ts'

/**
 * Serves the built single-page app (dist/web, made by `npm run build:web`) at `/`, its files, and
 * index.html for every other browser path so the app's own router takes over. Files are looked up per
 * request, so a rebuilt UI is served without a restart.
 */
export async function registerWebUi(app: FastifyInstance, distDir = WEB_DIST_DIR): Promise<void> {
  const index = path.join(distDir, 'index.html')
  if (!existsSync(index)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('Giao diện chưa được dựng: chạy `npm run build:web`.\nThe web UI is not built: run `npm run build:web`.'),
    )
    return
  }
  // The static layer only sends files; which path gets which file is decided here, so no path (the bare
  // address, a doubled slash, a folder) ever meets its "directory" answer (403).
  await app.register(fastifyStatic, { root: distDir, serve: false, cacheControl: false })
  const sendPage = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html')
  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    schema: { hide: true },
    handler: async (request, reply) => {
      const pathname = request.url.split('?')[0]!
      if (/^\/(api|docs)(\/|$)/.test(pathname)) return reply.callNotFound()
      const file = await builtFile(distDir, pathname)
      if (file) {
        // Hashed asset names never change: cache them for a year; other files are revalidated.
        const immutable = file.startsWith(`assets${path.sep}`)
        return reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(file)
      }
      // Browser paths (no file extension) are the app's own routes: its router takes over.
      return path.extname(pathname) ? reply.callNotFound() : sendPage(reply)
    },
  })
  app.get('/', { schema: { hide: true } }, (_request, reply) => sendPage(reply))
}

/** The file of dist/web a URL path names (relative to it), when it is a regular file inside it. */
async function builtFile(distDir: string, pathname: string): Promise<string | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const relative = path.normalize(decoded).replace(/^[/\\]+/, '')
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return undefined
  const stats = await stat(path.join(distDir, relative)).catch(() => undefined)
  return stats?.isFile() ? relative : undefined
}
