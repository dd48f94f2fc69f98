import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Platform } from '../../platform/platform.ts'

/** The images visible signatures show: a leader's own signature image and the agency seal image. */
export const signatureImageRoutes =
  (_platform: Platform): FastifyPluginAsyncTypebox =>
  async () => {}
