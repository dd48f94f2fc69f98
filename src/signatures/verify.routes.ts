import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../platform/errors.ts'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'
import { listSignatureReports, verifyStoredFile, verifyUpload } from './verify/verify.service.ts'

const CertSummary = Type.Object({
  subject: Type.String(),
  issuer: Type.String(),
  commonName: Nullable(Type.String()),
  serialNumber: Type.String(),
  fingerprintSha256: Type.String(),
  notBefore: Type.String(),
  notAfter: Type.String(),
})

const Verdict = Type.Union([Type.Literal('valid'), Type.Literal('invalid'), Type.Literal('indeterminate')])

const SignatureReportSchema = Type.Object({
  field: Type.String({ description: 'Full name of the signature field' }),
  type: Type.Union([Type.Literal('signature'), Type.Literal('document-timestamp')]),
  subFilter: Nullable(Type.String()),
  signer: Nullable(CertSummary),
  signingTime: Type.Object({
    claimed: Nullable(Type.String({ description: '/M: what the signer claims' })),
    timestamped: Nullable(Type.String({ description: 'genTime of the signature (or document) timestamp' })),
    used: Type.String({ description: 'The time the certificates were checked at' }),
    source: Type.Union([
      Type.Literal('timestamp'),
      Type.Literal('claimed'),
      Type.Literal('verification-time'),
    ]),
  }),
  verdict: Verdict,
  reason: Nullable(
    Type.String({
      description:
        'Verdict-setting reason code (documented in verify-pdf.ts). invalid: byterange-malformed, cms-malformed, ' +
        'digest-mismatch, signature-invalid, cms-attributes-invalid, signing-certificate-mismatch, timestamp-invalid, ' +
        "revoked, docmdp-violation (a later update exceeds the certification's DocMDP permission). indeterminate: signer-certificate-missing, unsupported-algorithm, untrusted-chain, " +
        'certificate-expired, key-usage, revoked-no-poe, revocation-unknown, revocation-not-fresh (the CRL/OCSP ' +
        'response predates the signing time and its nextUpdate has passed). informational: timestamp-untrusted, ' +
        'not-whole-file, changes-flagged.',
    }),
  ),
  reasons: Type.Array(Type.String()),
  level: Nullable(Type.String({ description: 'PAdES baseline level: B-B, B-T, B-LT, B-LTA' })),
  byteRange: Type.Array(Type.Integer()),
  coversWholeFile: Type.Boolean(),
  integrity: Type.Boolean(),
  cmsValid: Type.Boolean(),
  chain: Type.Object({ trusted: Type.Boolean(), path: Type.Array(CertSummary) }),
  validAtSigningTime: Type.Boolean(),
  keyUsageOk: Type.Boolean(),
  revocation: Type.Union([Type.Literal('good'), Type.Literal('revoked'), Type.Literal('unknown')]),
  revocationSource: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
  timestamp: Nullable(
    Type.Object({
      genTime: Nullable(Type.String()),
      valid: Type.Boolean(),
      trusted: Type.Boolean(),
      tsa: Nullable(CertSummary),
    }),
  ),
  changesAfter: Type.Array(
    Type.Object({
      revisionOffset: Type.Integer(),
      object: Type.String(),
      kind: Type.String(),
      allowed: Type.Boolean(),
    }),
  ),
  docMdpPermission: Type.Optional(
    Nullable(
      Type.Integer({
        description:
          'Certification signature (DocMDP): 1 no changes, 2 form filling and signing, 3 also annotations',
      }),
    ),
  ),
})

const VerificationSchema = Type.Object({
  signatures: Type.Array(SignatureReportSchema),
  modifiedAfterLastSignature: Type.Boolean(),
})

const StoredReportSchema = Type.Object({
  id: Type.String(),
  documentId: Type.String(),
  fileId: Type.String(),
  verdict: Type.String({ description: 'Worst verdict: valid | invalid | indeterminate | none' }),
  signatureCount: Type.Integer(),
  modifiedAfterLastSignature: Type.Boolean(),
  verifiedBy: Type.String(),
  verifiedAt: Type.String(),
  error: Nullable(
    Type.String({ description: "'unreadable-pdf': the file is no readable PDF (verdict invalid)" }),
  ),
  signatures: Type.Array(SignatureReportSchema),
})

const FileVerdictSchema = Type.Object({
  fileId: Type.String(),
  signatureCount: Type.Integer(),
  verdict: Nullable(Type.String({ description: 'Newest report: valid | invalid | indeterminate | none' })),
  reportId: Nullable(Type.String()),
  verifiedAt: Nullable(Type.String()),
  verifying: Type.Boolean({ description: 'A signatures.verify job for the file is queued or running' }),
})

const DocumentParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const FileParams = Type.Object({ id: Type.String({ maxLength: 64 }), fileId: Type.String({ maxLength: 64 }) })

/** Kiểm tra chữ ký số: verification of PDF signatures against the agency's trust anchors. */
export const verifyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app

  app.post(
    '/verify',
    {
      config: { access: 'document.read' },
      schema: {
        summary: 'Verify the signatures of an uploaded PDF (multipart `file`); nothing is stored',
        description:
          "Trust anchors: the caller's agency's active trust anchors. Revocation: CRLs in the PDF's DSS only " +
          '(no online fetching); without them a signature is indeterminate with reason revocation-unknown.',
        consumes: ['multipart/form-data'],
        response: { 200: VerificationSchema, ...problemResponses(400, 401, 403, 413, 415, 422) },
      },
    },
    async (request) => {
      if (!request.isMultipart()) throw new AppError('unsupported-media-type')
      const part = await request.file({ limits: { fileSize: platform.config.uploadMaxBytes, files: 1 } })
      if (part?.fieldname !== 'file') throw new AppError('upload-missing-file')
      const bytes = await part.toBuffer().catch((error: { code?: string }) => {
        if (error.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('upload-too-large')
        throw error
      })
      if (part.file.truncated) throw new AppError('upload-too-large')
      if (bytes.length === 0) throw new AppError('upload-empty')
      return verifyUpload(platform, request.actor!, bytes, auditContextOf(request))
    },
  )

  app.post(
    '/documents/:id/files/:fileId/verify',
    {
      config: { access: 'document.read' },
      schema: {
        summary: "Verify a stored file's signatures and keep the report (needs access to the content)",
        params: FileParams,
        response: { 200: StoredReportSchema, ...problemResponses(404, 422) },
      },
    },
    async (request) =>
      verifyStoredFile(
        platform,
        request.actor!,
        request.params.id,
        request.params.fileId,
        auditContextOf(request),
      ),
  )

  app.get(
    '/documents/:id/signature-reports',
    {
      config: { access: 'document.read' },
      schema: {
        summary: "Stored signature verification reports of a document's files, newest first",
        description:
          'PDFs that arrive with signatures are verified by the `signatures.verify` job (actor ' +
          '`job:signatures.verify`); `files` lists each file with signatures (or a report) with its newest verdict ' +
          '(null before any report) and `verifying` while such a job is queued or running. `latest=true` keeps ' +
          'only the newest report of each file.',
        params: DocumentParams,
        querystring: Type.Object({ latest: Type.Optional(Type.Boolean({ default: false })) }),
        response: {
          200: Type.Object({ items: Type.Array(StoredReportSchema), files: Type.Array(FileVerdictSchema) }),
          ...problemResponses(404),
        },
      },
    },
    async (request) =>
      listSignatureReports(platform, request.actor!, request.params.id, { latest: request.query.latest }),
  )
}
