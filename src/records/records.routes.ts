import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { recordFilesRoutes } from './files/record-files.routes.ts'
import { retentionRoutes } from './retention/retention.routes.ts'
import { holdsRoutes } from './holds/holds.routes.ts'
import { transferRoutes } from './transfer/transfer.routes.ts'
import { accessRequestRoutes } from './access/access-requests.routes.ts'
import { packageRoutes } from './package/package.routes.ts'
import { dispositionRoutes } from './disposition/disposition.routes.ts'
import { fixityRoutes } from './fixity/fixity.routes.ts'
import { reportsRoutes } from './reports/reports.routes.ts'

/** Records and archives (hồ sơ, lưu trữ) under /api/records: each sub-capability registers its routes. */
export const recordsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(recordFilesRoutes)
  await app.register(retentionRoutes)
  await app.register(holdsRoutes)
  await app.register(transferRoutes)
  await app.register(accessRequestRoutes)
  await app.register(packageRoutes)
  await app.register(dispositionRoutes)
  await app.register(fixityRoutes)
  await app.register(reportsRoutes)
}
