import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Platform } from '../../platform/platform.ts'

/** Trình ký: signature requests, the leader's "chờ ký" queue, refusal with a reason. */
export const signatureRequestRoutes =
  (_platform: Platform): FastifyPluginAsyncTypebox =>
  async () => {}
