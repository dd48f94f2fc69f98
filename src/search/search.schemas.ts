import { Type } from 'typebox'
import { Nullable } from '../platform/http/common.schemas.ts'

const IsoDate = Type.String({ format: 'date' })
const Facet = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }))

export const SearchQuerystring = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 500,
        description: 'Words, "phrases", số/ký hiệu; with or without diacritics',
      }),
    ),
    direction: Type.Optional(Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')])),
    kind: Type.Optional(Type.String({ maxLength: 100, description: 'Tên loại văn bản, e.g. Quyết định' })),
    issuer: Type.Optional(Type.String({ maxLength: 200, description: 'Cơ quan ban hành' })),
    dateFrom: Type.Optional(IsoDate),
    dateTo: Type.Optional(IsoDate),
    registerId: Type.Optional(Type.String({ format: 'uuid' })),
    departmentId: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.Optional(Type.String({ maxLength: 32 })),
    secrecy: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
    hasSignature: Type.Optional(Type.Boolean()),
    sort: Type.Optional(
      Type.Union([Type.Literal('relevance'), Type.Literal('date-desc'), Type.Literal('date-asc')], {
        default: 'relevance',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 300 })),
    view: Type.Optional(
      Type.Union([Type.Literal('all'), Type.Literal('hits'), Type.Literal('facets')], {
        default: 'all',
        description: 'hits: without facets (faster first results); facets: facets and total only, no hits',
      }),
    ),
  },
  { additionalProperties: false },
)

export const SearchResultSchema = Type.Object({
  hits: Type.Array(
    Type.Object({
      document: Type.Ref('Document'),
      score: Type.Number({ description: 'Relevance (0 when sorted by date)' }),
      missing: Type.Optional(
        Type.Array(Type.String(), {
          description:
            'A near miss: the typed word(s) this document lacks. Near misses follow the documents that have every ' +
            'word, only when those are fewer than the limit, and are not counted in total or facets',
        }),
      ),
      snippets: Type.Array(
        Type.Object({
          fileId: Nullable(Type.String()),
          pageNumber: Nullable(Type.Integer()),
          html: Type.String({ description: 'HTML-escaped text with <mark> around the matched words' }),
        }),
      ),
    }),
  ),
  facets: Type.Object({
    direction: Type.Optional(Facet),
    kind: Type.Optional(Facet),
    issuer: Type.Optional(Facet),
    status: Type.Optional(Facet),
    secrecy: Type.Optional(Facet),
    hasSignature: Type.Optional(Facet),
    year: Type.Optional(Facet),
  }),
  total: Type.Integer({ description: 'Visible matching documents (when totalExact is false: more than this)' }),
  totalExact: Type.Boolean({
    description: 'False when more documents match than are counted: total is then a lower bound, and so are facet counts',
  }),
  nextCursor: Nullable(Type.String()),
})
