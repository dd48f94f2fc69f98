import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { toDocumentView } from '../documents/documents.views.ts'
import { AppError, fieldError } from '../platform/errors.ts'
import { problemResponses } from '../platform/http/common.schemas.ts'
import { SearchQuerystring, SearchResultSchema } from './search.schemas.ts'
import { searchDocuments } from './search.service.ts'

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app

  app.get(
    '/',
    {
      config: { access: 'document.read' },
      schema: {
        summary: 'Search documents the caller may see: metadata and page texts, with filters and facets',
        description:
          'Matches every word with or without diacritics (exact-diacritic matches rank first), "phrases" ' +
          'and số/ký hiệu such as 15/QĐ-UBND. Facets and total count only visible matching documents, exactly up ' +
          'to a cap (totalExact false beyond it: lower bounds).',
        querystring: SearchQuerystring,
        response: { 200: SearchResultSchema, ...problemResponses(400) },
      },
    },
    async (request) => {
      const { q = '', sort = 'relevance', limit = 20, cursor, view = 'all', ...filters } = request.query
      if (filters.dateFrom && filters.dateTo && filters.dateFrom > filters.dateTo) {
        throw new AppError('validation-failed', { errors: [fieldError('dateTo', 'field-invalid-value')] })
      }
      const result = await searchDocuments(platform, request.actor!, {
        text: q,
        filters,
        sort,
        limit,
        view,
        ...(cursor ? { cursor } : {}),
      })
      return {
        hits: result.hits.map(({ document, files, score, snippets, missing }) => ({
          document: toDocumentView(document, files),
          score,
          snippets,
          ...(missing ? { missing } : {}),
        })),
        facets: result.facets,
        total: result.total,
        totalExact: result.totalExact,
        nextCursor: result.nextCursor,
      }
    },
  )
}
