import { createHash } from 'node:crypto'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { eq, inArray } from 'drizzle-orm'
import { XMLParser } from 'fast-xml-parser'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentFiles, documents } from '../../src/platform/db/schema/index.ts'
import { expectProblem } from '../helpers/access-fixtures.ts'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { DRIVERS } from '../helpers/databases.ts'
import { incomingRegistrar } from '../helpers/routing-steps.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, attributeNamePrefix: '@', isArray: (name) => ['file', 'fileGrp', 'dmdSec', 'div', 'fptr', 'object', 'c'].includes(name) })
type Node = Record<string, unknown>
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

/** Every file and mdRef a METS names, with the path relative to the METS's folder. */
function referencedFiles(mets: Node): { href: string; checksum: string; size: number; type: string }[] {
  const refs: { href: string; checksum: string; size: number; type: string }[] = []
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node as Node)) {
      for (const child of asArray(value as Node | Node[])) {
        if ((key === 'file' || key === 'mdRef') && child && typeof child === 'object') {
          const c = child as Node
          const href = key === 'file' ? ((c.FLocat as Node)['@xlink:href'] as string) : (c['@xlink:href'] as string)
          refs.push({ href, checksum: c['@CHECKSUM'] as string, size: Number(c['@SIZE']), type: c['@CHECKSUMTYPE'] as string })
        }
        visit(child)
      }
    }
  }
  visit(mets)
  return refs
}

describe.each(DRIVERS)('Records: E-ARK CSIP package on $name', (driver) => {
  let t: TestApp
  let org: Organisation
  let fileId: string
  let fileCode: string
  let documentIds: string[]
  const api = (url: string, headers: Record<string, string>, method: 'GET' | 'POST' = 'GET', payload?: object) =>
    t.app.inject({ method, url: `/api/records${url}`, headers, ...(payload ? { payload } : {}) })

  beforeAll(async () => {
    if (!driver.available) return
    t = await startTestApp(driver)
    org = await seedOrganisation(t.platform, t.app)
    const register = await incomingRegistrar(t.app, org.users.clerk.headers)
    const file = (await api('/files', org.users.clerk.headers, 'POST', { year: 2025, notation: '01.VP', title: 'Hồ sơ về kế hoạch "số hóa" & lưu trữ <2025>', permanent: false, retentionYears: 10, retentionReason: 'Thử' })).json()
    fileId = file.id
    fileCode = file.fileCode
    documentIds = [await register(), await register(), await register()]
    await t.platform.database.db.update(documents).set({ subject: 'Kế hoạch ứng dụng CNTT năm 2025', kind: 'Kế hoạch', codeNumber: '15', codeNotation: 'KH-UBND', issuedDate: '2025-02-03' }).where(inArray(documents.id, documentIds))
    await api(`/files/${fileId}/documents`, org.users.clerk.headers, 'POST', { documentIds })
  })
  afterAll(async () => t?.close())

  it.skipIf(!driver.available)('GIVEN an open hồ sơ WHEN its package is asked for THEN 409; and people without the archive role get 403', async () => {
    expectProblem(await api(`/files/${fileId}/package`, org.users.archivist.headers), 409, 'record-file-state')
    expectProblem(await api(`/files/${fileId}/package`, org.users.officer.headers), 403, 'forbidden')
  })

  it.skipIf(!driver.available)('GIVEN a closed hồ sơ WHEN its package is exported THEN every file in the zip is in a METS with its SHA-256, and the CSIP structure holds', async () => {
    expect((await api(`/files/${fileId}/close`, org.users.clerk.headers, 'POST')).statusCode).toBe(200)
    // Before transfer the archive may not open the documents; after receiving them it may.
    expectProblem(await api(`/files/${fileId}/package`, org.users.archivist.headers), 403, 'forbidden')
    const transfer = (await api('/transfers', org.users.clerk.headers, 'POST', { recordFileIds: [fileId] })).json()
    expect((await api(`/transfers/${transfer.id}/receive`, org.users.archivist.headers, 'POST')).statusCode).toBe(200)
    const response = await api(`/files/${fileId}/package`, org.users.archivist.headers)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/zip')
    const zip = await JSZip.loadAsync(response.rawPayload)
    const names = Object.keys(zip.files).filter((name) => !zip.files[name]!.dir)
    const root = fileCode.replace(/[^\p{L}\p{N}._-]/gu, '_')
    expect(names.every((name) => name.startsWith(`${root}/`))).toBe(true)
    const read = async (name: string) => Buffer.from(await zip.file(name)!.async('uint8array'))

    const rootMets = parser.parse((await read(`${root}/METS.xml`)).toString('utf8')).mets as Node
    expect(rootMets['@OBJID']).toBe(root)
    expect(rootMets['@PROFILE']).toBe('https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml')
    expect(rootMets['@TYPE']).toBe('Textual works – Digital')
    const header = rootMets.metsHdr as Node
    expect(header['@csip:OAISPACKAGETYPE']).toBe('SIP')
    expect(header['@CREATEDATE']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/)
    expect(((header.agent as Node)['@ROLE'])).toBe('CREATOR')
    const structMap = rootMets.structMap as Node
    expect(structMap['@LABEL']).toBe('CSIP')
    const rootDivs = asArray((asArray(structMap.div as Node[])[0] as Node).div as Node[]).map((div) => div['@LABEL'])
    expect(rootDivs).toEqual(['Metadata', 'Schemas', 'Representations/rep1'])
    const repMets = parser.parse((await read(`${root}/representations/rep1/METS.xml`)).toString('utf8')).mets as Node

    // Every file of the zip is named by a METS with its SHA-256 and size, and every named file is there.
    const named = new Set([`${root}/METS.xml`])
    for (const [base, mets] of [[root, rootMets], [`${root}/representations/rep1`, repMets]] as const) {
      for (const ref of referencedFiles(mets)) {
        const name = `${base}/${ref.href}`
        expect(names, name).toContain(name)
        const bytes = await read(name)
        expect({ name, type: ref.type, checksum: ref.checksum, size: ref.size }).toEqual({ name, type: 'SHA-256', checksum: sha256(bytes), size: bytes.length })
        named.add(name)
      }
    }
    expect([...named].sort()).toEqual([...names].sort())

    // The data files are the stored bytes, named {mã hồ sơ}.{ordinal}.
    const data = names.filter((name) => name.includes('/representations/rep1/data/')).sort()
    expect(data.map((name) => path.basename(name))).toEqual([1, 2, 3].map((n) => `${fileCode}.${String(n).padStart(7, '0')}.pdf`))
    const stored = await t.platform.database.db.select().from(documentFiles).where(inArray(documentFiles.documentId, documentIds))
    expect(new Set(await Promise.all(data.map(async (name) => sha256(await read(name)))))).toEqual(new Set(stored.map((f) => f.sha256)))

    const ead = parser.parse((await read(`${root}/metadata/descriptive/EAD.xml`)).toString('utf8')).ead as Node
    expect(((ead.control as Node).recordid)).toBe(fileCode)
    expect((((ead.archdesc as Node).did as Node).unittitle)).toBe('Hồ sơ về kế hoạch "số hóa" & lưu trữ <2025>')
    expect(asArray(((ead.archdesc as Node).dsc as Node).c as Node[])).toHaveLength(3)
    const hoSo = parser.parse((await read(`${root}/metadata/descriptive/HoSo.xml`)).toString('utf8')).HoSo as Node
    expect(hoSo).toMatchObject({ fileCode, maintenance: '06', mode: '01', totalDoc: '3', startDate: '2025-02-03', endDate: '2025-02-03' })
    const premis = parser.parse((await read(`${root}/metadata/preservation/PREMIS.xml`)).toString('utf8')).premis as Node
    const digests = asArray(premis.object as Node[]).map((o) => (((o.objectCharacteristics as Node).fixity as Node).messageDigest))
    expect(new Set(digests)).toEqual(new Set(stored.map((f) => f.sha256)))
    const doc = parser.parse((await read(data[0]!.replace('/data/', '/metadata/descriptive/').replace(/\.pdf$/, '.xml'))).toString('utf8')).VanBan as Node
    expect(doc).toMatchObject({ docCode: `${fileCode}.0000001`, docOrdinal: '1', typeName: 'Kế hoạch', codeNumber: '15', codeNotation: 'KH-UBND', issuedDate: '2025-02-03' })
  })

  it.skipIf(!driver.available)('GIVEN stored bytes that no longer match their hash WHEN the package is exported THEN the zip stream is cut short with an error', async () => {
    const [stored] = await t.platform.database.db.select().from(documentFiles).where(eq(documentFiles.documentId, documentIds[1]!))
    const blobPath = path.join(t.dataDir, 'blobs', stored!.blobKey)
    const original = await readFile(blobPath)
    await chmod(blobPath, 0o644)
    await writeFile(blobPath, Buffer.concat([original.subarray(0, 100), Buffer.from('tampered'), original.subarray(108)]))
    try {
      // The answer starts as a zip and is then cut: the client sees the connection end mid-body.
      await expect(api(`/files/${fileId}/package`, org.users.archivist.headers)).rejects.toThrow(/destroyed before completion/)
    } finally {
      await writeFile(blobPath, original)
    }
  })
})
