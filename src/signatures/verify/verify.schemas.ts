/** Response schemas of the verification routes (they also shape the serialised JSON: keep them complete). */
import { Type } from 'typebox'
import { Nullable } from '../../platform/http/common.schemas.ts'

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

export const DocumentVerdictSchema = Type.Union(
  [
    Type.Literal('valid'),
    Type.Literal('valid-with-allowed-changes'),
    Type.Literal('modified'),
    Type.Literal('invalid'),
    Type.Literal('indeterminate'),
  ],
  {
    description:
      'The answer for the document as it is shown now (read it first): valid; valid-with-allowed-changes ' +
      '(form filling, or annotations under DocMDP P=3, after a signature); modified (changes a signature does ' +
      'not permit: content, pages, overlays, removed annotations, new fields, stripped or cloned signatures); ' +
      'invalid (a signature is broken); indeterminate (something could not be established: trust, revocation, ' +
      'an unreadable revision, trailing bytes, a damaged file, no signature).',
  },
)

const ChangeSchema = Type.Object({
  revision: Type.Integer({ description: 'Index of the update that made the change (0 = the original)' }),
  object: Type.String({ description: '`12 0 R`, or a catalog key such as `/Pages`' }),
  kind: Type.String({ description: 'What changed (see src/pades/verify/modifications/diff.ts)' }),
  level: Type.String({ description: 'lta | signing | form-fill | annotation | forbidden' }),
  field: Type.Optional(Type.String()),
  allowed: Type.Boolean({ description: 'This signature permits it' }),
})

const SignatureReportSchema = Type.Object({
  field: Type.String({ description: 'Full name of the signature field' }),
  type: Type.Union([Type.Literal('signature'), Type.Literal('document-timestamp')]),
  subFilter: Nullable(Type.String()),
  signer: Nullable(CertSummary),
  signingTime: Type.Object({
    claimed: Nullable(Type.String({ description: '/M as signed: what the signer claims, never a proof' })),
    timestamped: Nullable(Type.String({ description: 'genTime of the signature (or document) timestamp' })),
    used: Type.String({ description: 'The time the certificates were checked at' }),
    source: Type.Union([
      Type.Literal('timestamp'),
      Type.Literal('document-timestamp'),
      Type.Literal('verification-time'),
    ]),
  }),
  verdict: Verdict,
  reason: Nullable(
    Type.String({
      description:
        'Verdict-setting reason code (documented in src/pades/verify/report.ts). invalid: byterange-malformed, ' +
        'cms-malformed, digest-mismatch, signature-invalid, cms-attributes-invalid, signing-certificate-mismatch, ' +
        'timestamp-invalid, revoked, docmdp-violation, fieldmdp-violation. indeterminate: ' +
        'signer-certificate-missing, unsupported-algorithm, weak-algorithm, untrusted-chain, ca-constraints, ' +
        'certificate-expired, expired-no-poe, key-usage, extended-key-usage, unknown-critical-extension, ' +
        'revoked-no-poe, revocation-unknown, revocation-not-fresh, signed-bytes-missing, modified-after-signing, ' +
        'changes-unknown. informational: timestamp-untrusted, not-whole-file, changes-allowed, signature-cloned.',
    }),
  ),
  reasons: Type.Array(Type.String()),
  level: Nullable(Type.String({ description: 'PAdES baseline level: B-B, B-T, B-LT, B-LTA' })),
  byteRange: Type.Array(Type.Integer()),
  revision: Nullable(Type.Integer({ description: 'The revision the signature covers (0 = the original)' })),
  coversWholeFile: Type.Boolean(),
  inFinalRevision: Type.Boolean({ description: 'Some field of the final revision still holds it' }),
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
  modification: Type.Union(
    [Type.Literal('none'), Type.Literal('allowed'), Type.Literal('not-allowed'), Type.Literal('unknown')],
    { description: 'What later revisions did, judged against what this signature permits' },
  ),
  changesAfter: Type.Array(ChangeSchema),
  docMdpPermission: Nullable(
    Type.Integer({
      description:
        'Certification signature (DocMDP): 1 no changes, 2 form filling and signing, 3 also annotations',
    }),
  ),
  fieldLock: Nullable(
    Type.Object({ action: Type.String(), fields: Type.Array(Type.String()) }, { description: 'FieldMDP' }),
  ),
  clones: Type.Array(Type.String(), { description: 'Other fields pointing at this same signature' }),
})

const StructureSchema = Type.Object({
  revisions: Type.Integer({ description: 'Complete revisions found (the original and each update)' }),
  trailingBytes: Type.Integer({ description: 'Non-whitespace bytes after the last revision' }),
  findings: Type.Array(
    Type.Object({
      code: Type.String({
        description: 'revision-chain-broken | xref-offset-wrong | unlisted-object | trailing-data | damaged',
      }),
      revision: Type.Optional(Type.Integer()),
      object: Type.Optional(Type.Integer()),
      bytes: Type.Optional(Type.Integer()),
      objects: Type.Optional(Type.Boolean()),
    }),
  ),
})

export const VerificationSchema = Type.Object({
  documentVerdict: DocumentVerdictSchema,
  documentReasons: Type.Array(Type.String(), {
    description:
      'Why, most severe first: signature-invalid, modified, signature-stripped, signature-cloned, damaged, ' +
      'trailing-data, revision-chain-broken, xref-offset-wrong, unlisted-object, changes-unknown, ' +
      'signature-indeterminate, no-signatures, changes-allowed',
  }),
  signatures: Type.Array(SignatureReportSchema),
  modifiedAfterLastSignature: Type.Boolean(),
  structure: StructureSchema,
})

export const StoredReportSchema = Type.Object({
  id: Type.String(),
  documentId: Type.String(),
  fileId: Type.String(),
  verdict: Type.String({ description: 'Worst signature verdict: valid | invalid | indeterminate | none' }),
  documentVerdict: Nullable(DocumentVerdictSchema),
  documentReasons: Type.Array(Type.String()),
  signatureCount: Type.Integer(),
  modifiedAfterLastSignature: Type.Boolean(),
  verifiedBy: Type.String(),
  verifiedAt: Type.String(),
  error: Nullable(
    Type.String({ description: "'unreadable-pdf': the file is no readable PDF (verdict invalid)" }),
  ),
  // Stored as verified: reports kept before a field existed lack it, so the shape is not enforced here.
  signatures: Type.Array(Type.Object({}, { additionalProperties: true }), {
    description: 'As in POST /api/verify (older stored reports may lack newer fields)',
  }),
})

export const FileVerdictSchema = Type.Object({
  fileId: Type.String(),
  signatureCount: Type.Integer(),
  verdict: Nullable(Type.String({ description: 'Newest report: valid | invalid | indeterminate | none' })),
  documentVerdict: Nullable(Type.String({ description: "Newest report's document verdict" })),
  reportId: Nullable(Type.String()),
  verifiedAt: Nullable(Type.String()),
  verifying: Type.Boolean({ description: 'A signatures.verify job for the file is queued or running' }),
})
