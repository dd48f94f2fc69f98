import fp from 'fastify-plugin'
import type { Platform } from '../platform.ts'

declare module 'fastify' {
  interface FastifyInstance {
    platform: Platform
  }
}

/** Makes the process's infrastructure reachable from routes; closes it with the server. */
export const platformPlugin = fp<{ platform: Platform; closeWithApp: boolean }>(
  async (app, { platform, closeWithApp }) => {
    app.decorate('platform', platform)
    if (closeWithApp) {
      app.addHook('onClose', async () => {
        app.log.info('requests finished: stopping jobs and closing the database')
        await platform.close()
        app.log.info('closed')
      })
    }
  },
  { name: 'platform' },
)
