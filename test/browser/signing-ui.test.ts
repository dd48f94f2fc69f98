import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoSealPng, demoSignaturePng } from '../../src/signatures/appearance/demo-images.ts'
import { createTestPki, type TestPki } from '../../scripts/lib/test-pki/test-pki.ts'
import { pkcs12 } from '../../scripts/lib/test-pki/write-test-pki.ts'
import { signedInPage, stageApi, type StageUser, startUiStage, type UiStage } from '../helpers/browser.ts'
import { corpusFile } from '../helpers/corpus.ts'
import { startTestCrlServer, type TestCrlServer } from '../helpers/crl-server.ts'
import { REPO_ROOT } from '../helpers/server-process.ts'
import { startTestTsa, type TestTsa } from '../helpers/tsa-server.ts'

/**
 * Issue 6 §7 in a real browser: a clerk uploads an outgoing draft and puts it before a leader; the
 * leader finds it under "Chờ ký", previews it and signs it with the PIN typed on the keyboard; a second
 * request is refused with a reason the clerk then reads; the document page shows the signature check.
 */
const ADMIN_PASSWORD = 'Quản trị ký số 2026'
const P12_PASSWORD = 'mật-khẩu-tệp-p12'
const PIN = '246810'
const SEAL_PIN = '135791'
const NEW_PIN = '975318'
/** The common names of the test PKI's leader and agency certificates. */
const LEADER_CERT_NAME = 'Nguyễn Văn An'
const CLERK: StageUser = {
  username: 'vtkyso',
  fullName: 'Phạm Thị Văn Thư',
  roles: ['clerk'],
  password: 'Văn thư trình ký văn bản',
}
const LEADER: StageUser = {
  username: 'ldkyso',
  fullName: 'Hoàng Văn Giám Đốc',
  roles: ['leader'],
  password: 'Lãnh đạo ký số văn bản',
}
const REFUSAL = 'Đề nghị sửa lại căn cứ pháp lý ở đoạn 2 rồi trình lại.'

let stage: UiStage
let pki: TestPki
let tsa: TestTsa
/** The test PKI's CRLs on loopback, at the URL its certificates name, so signatures reach PAdES B-LT. */
let crl: TestCrlServer
const tokens: Record<string, string> = {}
const problems: string[] = []
let draftSubject = ''
let secondDocumentId = ''
let signedDocumentPath = ''
const batchIds: string[] = []

const api = <T>(method: string, pathname: string, body?: FormData | object, bearer?: string) =>
  stageApi<T>(stage.server, method, pathname, body, bearer)

async function open(person: StageUser): Promise<Page> {
  const { page, problems: seen } = await signedInPage(stage, person, 20_000)
  // Answers the tests provoke on purpose: the wrong PIN (422), the locked credential (423), the scan with
  // no signer block to place the signature on (422), an image not set yet (404: the "no image" state).
  const expected = [
    /\/sign: .*status of 42[23]/,
    /\/sign\/placement\?kind=personal: .*status of 422/,
    /\/(seal|signature)-image: .*status of 404/,
  ]
  page.on('close', () => problems.push(...seen.filter((problem) => !expected.some((re) => re.test(problem)))))
  return page
}

/** The clerk uploads an outgoing draft through the API; its document id. */
async function uploadDraft(corpusName: string, subject: string): Promise<string> {
  const form = new FormData()
  form.set('direction', 'outgoing')
  form.set('kind', 'Công văn')
  form.set('subject', subject)
  const pdf = await readFile(corpusFile(corpusName))
  form.set('file', new Blob([pdf], { type: 'application/pdf' }), corpusName)
  return (await api<{ document: { id: string } }>('POST', '/api/documents', form, tokens.clerk)).document.id
}

async function leaderId(): Promise<string> {
  const people = await api<{ items: { id: string; fullName: string }[] }>(
    'GET',
    '/api/directory/people',
    undefined,
    tokens.clerk,
  )
  return people.items.find((p) => p.fullName === LEADER.fullName)?.id ?? ''
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(REPO_ROOT, 'test-results/screenshots', name), fullPage: true })

beforeAll(async () => {
  crl = await startTestCrlServer()
  pki = createTestPki({ crlBaseUrl: crl.base })
  crl.pki = pki
  tsa = await startTestTsa(pki.tsa, [pki.intermediate, pki.root])
  stage = await startUiStage(ADMIN_PASSWORD, {
    SIGNING_TSA_URL: tsa.url,
    SIGNING_REVOCATION_TIMEOUT_MS: '2000',
  })
  const tokenOf = async (username: string, password: string) =>
    (await api<{ token: string }>('POST', '/api/auth/token', { username, password })).token
  const admin = await tokenOf('admin', ADMIN_PASSWORD)
  const office = await api<{ id: string }>(
    'POST',
    '/api/admin/departments',
    { name: 'Văn phòng', abbreviation: 'VP' },
    admin,
  )
  for (const person of [CLERK, LEADER])
    await api('POST', '/api/admin/users', { ...person, departmentId: office.id }, admin)
  tokens.clerk = await tokenOf(CLERK.username, CLERK.password)
  tokens.leader = await tokenOf(LEADER.username, LEADER.password)

  // The agency trusts the test root; the leader has a certificate, a PIN and a signature image.
  const root = new FormData()
  root.set('file', new Blob([pki.root.certPem]), 'root.pem')
  await api('POST', '/api/admin/trust-anchors', root, admin)
  const credential = new FormData()
  const p12 = pkcs12(pki.leader, [pki.intermediate, pki.root], P12_PASSWORD)
  credential.set('file', new Blob([p12], { type: 'application/x-pkcs12' }), 'chu-ky.p12')
  credential.set('password', P12_PASSWORD)
  credential.set('pin', PIN)
  await api('POST', '/api/me/signing-credentials', credential, tokens.leader)
  const image = new FormData()
  image.set('file', new Blob([demoSignaturePng()], { type: 'image/png' }), 'chu-ky.png')
  await api('PUT', '/api/me/signature-image', image, tokens.leader)
}, 180_000)

afterAll(async () => {
  await stage?.close()
  await tsa?.close()
  await crl?.close()
})

describe('trình ký and ký số in Chromium', () => {
  it('GIVEN an outgoing PDF uploaded as a plain document (no drafting flow) WHEN the clerk requests the leader’s signature THEN the document shows the request as “Chờ ký”', async () => {
    const meta = JSON.parse(await readFile(corpusFile('001.meta.json'), 'utf8')) as Record<string, string>
    draftSubject = meta.subject ?? 'Dự thảo văn bản'
    // The UI drafts văn bản đi through the drafting flow only (its "Trình duyệt"); a PDF uploaded through
    // the API is the plain document that stand-alone trình ký is for.
    const clerk = await open(CLERK)
    signedDocumentPath = `/documents/${await uploadDraft('001.pdf', draftSubject)}`
    await clerk.goto(`${stage.server.baseUrl}${signedDocumentPath}`)
    await clerk.getByTestId('page-document').waitFor()

    await clerk.getByTestId('signing-request').click()
    const option = clerk.locator('#signature-signer option', { hasText: LEADER.fullName })
    await clerk.selectOption('#signature-signer', (await option.getAttribute('value')) ?? '')
    await clerk.fill('#signature-comment', 'Kính trình Giám đốc ký ban hành.')
    await clerk.getByTestId('signature-request-submit').click()
    const request = clerk.getByTestId('signature-request').first()
    await expect.poll(() => request.getAttribute('data-state')).toBe('pending')
    expect(await request.textContent()).toContain('Chờ ký')
    expect(await request.textContent()).toContain(LEADER.fullName)
    // One pending request per document: no second "Trình ký" button.
    expect(await clerk.getByTestId('signing-request').count()).toBe(0)
    await clerk.close()
  }, 120_000)

  it('GIVEN a pending request WHEN the leader opens Chờ ký, previews it and signs with the PIN (a wrong one first) THEN the progress ends in ✓ and the queue is empty', async () => {
    const leader = await open(LEADER)
    await expect.poll(() => leader.getByTestId('nav-badge').textContent()).toBe('1')
    await leader.getByTestId('nav-awaiting-signature').click()
    const item = leader.getByTestId('queue-item')
    await expect.poll(() => item.count()).toBe(1)
    expect(await item.textContent()).toContain(draftSubject)
    expect(await item.textContent()).toContain(CLERK.fullName)
    expect(await item.textContent()).toContain('Kính trình Giám đốc ký ban hành.')

    // Keyboard: focus the list, Enter previews the focused document, Space marks it.
    await leader.getByTestId('queue-list').focus()
    await leader.keyboard.press('Enter')
    await leader.getByTestId('queue-preview').waitFor()
    expect(await leader.getByTestId('viewer-frame').getAttribute('src')).toContain('/sign/preview')
    await expect.poll(() => leader.getByTestId('queue-preview').getAttribute('aria-busy')).toBeNull()
    await leader.keyboard.press('Space')
    await expect.poll(() => item.getAttribute('aria-selected')).toBe('true')
    await shot(leader, 'awaiting-signature.png')

    await leader.getByTestId('queue-sign').click()
    await leader.getByTestId('sign-dialog').waitFor()
    // (A string: the root tsconfig has no DOM types.)
    await expect
      .poll(() => leader.evaluate('document.activeElement && document.activeElement.id'))
      .toBe('sign-pin')
    await leader.keyboard.type('000000')
    await leader.keyboard.press('Enter')
    await expect.poll(() => leader.getByTestId('error-sign-pin').textContent()).toContain('Mã PIN không đúng')
    expect(await leader.getByTestId('error-sign-pin').textContent()).toMatch(/Còn \d+ lần thử/)

    await leader.keyboard.type(PIN)
    await leader.keyboard.press('Enter')
    const result = leader.getByTestId('sign-result')
    await expect.poll(() => result.count(), { timeout: 60_000 }).toBe(1)
    expect(await result.getAttribute('data-ok')).toBe('true')
    expect(await result.textContent()).toContain('✓ Đã ký')
    await shot(leader, 'signed-result.png')
    await leader.getByTestId('sign-done').click()
    await leader.getByTestId('queue-empty').waitFor()
    await expect.poll(() => leader.getByTestId('nav-badge').count()).toBe(0)
    expect(await leader.getByTestId('queue-empty').textContent()).toContain('Không có văn bản chờ ký')
    await leader.close()
  }, 120_000)

  it('GIVEN a second request WHEN the leader refuses it with a reason THEN the clerk sees the refusal and the reason on the document', async () => {
    secondDocumentId = await uploadDraft('002.pdf', 'Về việc tổ chức hội nghị tổng kết năm')
    const signerId = await leaderId()
    await api('POST', `/api/documents/${secondDocumentId}/signature-requests`, { signerId }, tokens.clerk)

    const leader = await open(LEADER)
    await leader.getByTestId('nav-awaiting-signature').click()
    await expect.poll(() => leader.getByTestId('queue-item').count()).toBe(1)
    await leader.getByTestId('queue-item').click()
    await leader.getByTestId('queue-refuse').click()
    await leader.getByTestId('refuse-submit').click()
    expect(await leader.getByTestId('error-refuse-reason').textContent()).toContain('lý do')
    await leader.fill('#refuse-reason', REFUSAL)
    await leader.getByTestId('refuse-submit').click()
    await leader.getByTestId('queue-empty').waitFor()
    expect(await leader.getByTestId('queue-success').textContent()).toContain('Đã từ chối')
    await leader.close()

    const clerk = await open(CLERK)
    await clerk.goto(`${stage.server.baseUrl}/documents/${secondDocumentId}`)
    const request = clerk.getByTestId('signature-request').first()
    await expect.poll(() => request.getAttribute('data-state')).toBe('refused')
    expect(await request.textContent()).toContain('Bị từ chối')
    expect(await clerk.getByTestId('signature-request-reason').textContent()).toContain(REFUSAL)
    // Văn bản đi lists what the clerk put forward, with the answer.
    await clerk.getByTestId('nav-outgoing').click()
    const sent = clerk.getByTestId('sent-request').filter({ hasText: 'hội nghị tổng kết' })
    await expect.poll(() => sent.getAttribute('data-state')).toBe('refused')
    expect(await sent.textContent()).toContain(REFUSAL)
    // The refusal also reached the clerk as a notification, named in Vietnamese.
    await clerk.getByTestId('notifications-button').click()
    await expect
      .poll(() => clerk.getByTestId('page-notifications').textContent())
      .toContain('Văn bản bị từ chối ký')
    await clerk.close()
  }, 120_000)

  it('GIVEN the signed document WHEN its signatures are checked from the document page THEN the report shows ✓ Hợp lệ with the signer and PAdES level', async () => {
    const clerk = await open(CLERK)
    await clerk.goto(`${stage.server.baseUrl}${signedDocumentPath}`)
    await clerk.getByTestId('page-document').waitFor()
    const report = clerk.getByTestId('signature-report').first()
    await report.waitFor()
    await report.getByTestId('signature-recheck').click()
    const row = clerk.getByTestId('signature-row').first()
    await row.waitFor({ timeout: 30_000 })
    await shot(clerk, 'signature-report.png')
    expect(await row.getByTestId('signature-signer').textContent()).toBeTruthy()
    expect(await row.getByTestId('signature-level').textContent()).toContain('PAdES')
    expect(await row.getAttribute('data-verdict')).toBe('valid')
    expect(await row.getByTestId('signature-verdict').textContent()).toContain('✓ Hợp lệ')
    // The document verdict comes first, above every signature.
    const documentVerdict = report.getByTestId('document-verdict')
    expect(await documentVerdict.getAttribute('data-verdict')).toBe('valid')
    expect(await documentVerdict.textContent()).toContain('Văn bản nguyên vẹn, các chữ ký hợp lệ')
    const [verdictBox, rowBox] = [await documentVerdict.boundingBox(), await row.boundingBox()]
    expect(verdictBox!.y).toBeLessThan(rowBox!.y)
    // English is second: the same report in the other catalogue.
    await clerk.getByTestId('lang-en').click()
    await expect.poll(() => row.getByTestId('signature-verdict').textContent()).toContain('✓ Valid')
    expect(await documentVerdict.textContent()).toContain('Document intact, signatures valid')
    expect(await row.getByTestId('signature-revocation').textContent()).toBe('Not revoked')
    await clerk.getByTestId('lang-vi').click()
    await clerk.close()
  }, 120_000)

  it('GIVEN two more requests WHEN the leader marks both with the keyboard and signs once THEN a progress bar runs and each gets ✓', async () => {
    const signerId = await leaderId()
    for (const [n, file] of [
      [1, '003.pdf'],
      [2, '004.pdf'],
    ] as const) {
      const id = await uploadDraft(file, `Dự thảo ký lô số ${n}`)
      batchIds.push(id)
      await api('POST', `/api/documents/${id}/signature-requests`, { signerId }, tokens.clerk)
    }
    const leader = await open(LEADER)
    await expect.poll(() => leader.getByTestId('nav-badge').textContent()).toBe('2')
    await leader.getByTestId('nav-awaiting-signature').click()
    await expect.poll(() => leader.getByTestId('queue-item').count()).toBe(2)
    await leader.getByTestId('queue-list').focus()
    await leader.keyboard.press('Space')
    await leader.keyboard.press('ArrowDown')
    await leader.keyboard.press('Space')
    expect(await leader.getByTestId('queue-selected').textContent()).toContain('Đã chọn 2/2')
    expect(await leader.getByTestId('queue-sign').textContent()).toContain('Ký 2 văn bản đã chọn')
    await leader.getByTestId('queue-sign').click()
    await expect
      .poll(() => leader.evaluate('document.activeElement && document.activeElement.id'))
      .toBe('sign-pin')
    expect(await leader.getByTestId('sign-documents').textContent()).toContain('Dự thảo ký lô số 2')
    await leader.keyboard.type(PIN)
    await leader.keyboard.press('Enter')
    await leader.getByTestId('sign-progress').waitFor()
    expect(await leader.getByTestId('sign-progress').textContent()).toMatch(/Đang ký [12]\/2…/)
    const results = leader.getByTestId('sign-result')
    await expect.poll(() => results.count(), { timeout: 60_000 }).toBe(2)
    expect(await leader.locator('[data-testid="sign-result"][data-ok="true"]').count()).toBe(2)
    expect(await leader.getByTestId('sign-summary').textContent()).toContain('Đã ký 2/2 văn bản.')
    await leader.keyboard.press('Enter')
    await leader.getByTestId('queue-empty').waitFor()
    await leader.close()
  }, 120_000)

  it('GIVEN a scan with no text layer WHEN the leader signs it THEN the missing signer block is explained, and a page and corner picked by hand sign it', async () => {
    const id = await uploadDraft('003.scan.pdf', 'Bản quét không có lớp chữ')
    await api('POST', `/api/documents/${id}/signature-requests`, { signerId: await leaderId() }, tokens.clerk)
    const leader = await open(LEADER)
    await leader.getByTestId('nav-awaiting-signature').click()
    await leader.getByTestId('queue-item').click()
    await expect
      .poll(() => leader.getByTestId('queue-preview-problem').textContent())
      .toContain('Không tìm thấy chỗ ký')
    await leader.getByTestId('queue-sign').click()
    await expect
      .poll(() => leader.evaluate('document.activeElement && document.activeElement.id'))
      .toBe('sign-pin')
    await leader.keyboard.type(PIN)
    await leader.keyboard.press('Enter')
    const result = leader.getByTestId('sign-result')
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 60_000 }).toBe('false')
    expect(await result.textContent()).toContain('Không tìm thấy chỗ ký')
    await leader.selectOption('#placement-position', 'bottom-right')
    await leader.getByTestId('placement-submit').click()
    expect(await leader.getByTestId('sign-placement').textContent()).toContain('Cuối trang, bên phải')
    await expect
      .poll(() => leader.evaluate('document.activeElement && document.activeElement.id'))
      .toBe('sign-pin')
    await leader.keyboard.type(PIN)
    await leader.keyboard.press('Enter')
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 60_000 }).toBe('true')
    await leader.getByTestId('sign-done').click()
    await leader.getByTestId('queue-empty').waitFor()
    await leader.close()
  }, 120_000)

  it('GIVEN leader-signed documents WHEN the clerk applies the agency seal over the signature (and as a SAO Y text stamp on another) THEN the check shows two valid signatures', async () => {
    const admin = await api<{ token: string }>('POST', '/api/auth/token', {
      username: 'admin',
      password: ADMIN_PASSWORD,
    })
    const seal = new FormData()
    const p12 = pkcs12(pki.agency, [pki.intermediate, pki.root], P12_PASSWORD)
    seal.set('file', new Blob([p12], { type: 'application/x-pkcs12' }), 'con-dau.p12')
    seal.set('password', P12_PASSWORD)
    seal.set('pin', SEAL_PIN)
    await api('POST', '/api/admin/signing/agency-seal', seal, admin.token)
    const image = new FormData()
    image.set('file', new Blob([demoSealPng()], { type: 'image/png' }), 'con-dau.png')
    await api('PUT', '/api/admin/signing/seal-image', image, admin.token)

    const clerk = await open(CLERK)
    await clerk.goto(`${stage.server.baseUrl}${signedDocumentPath}`)
    const report = clerk.getByTestId('signature-report').first()
    const leaderSignedFile = await report.getAttribute('data-file-id')
    await clerk.getByTestId('signing-seal').click()
    expect(await clerk.isChecked('#seal-appearance-auto')).toBe(true)
    await clerk.fill('#seal-pin', SEAL_PIN)
    await clerk.keyboard.press('Enter')
    await expect
      .poll(() => clerk.getByTestId('signing-panel-success').textContent())
      .toContain('Đã đóng dấu số')
    // The panel moves on to the sealed file (a new rendition holding both signatures).
    await expect.poll(() => report.getAttribute('data-file-id')).not.toBe(leaderSignedFile)
    await report.getByTestId('signature-recheck').click()
    // The newest signed file only: the leader's signature and the seal (plus any document timestamps).
    const signatures = report.locator('[data-testid="signature-row"][data-type="signature"]')
    await expect.poll(() => signatures.count(), { timeout: 30_000 }).toBe(2)
    const rows = await report.getByTestId('signature-row').count()
    expect(await report.locator('[data-testid="signature-row"][data-verdict="valid"]').count()).toBe(rows)
    expect(await report.textContent()).toContain(LEADER_CERT_NAME)
    expect(await report.textContent()).toContain('Ủy ban nhân dân tỉnh Hòa Giang')
    await shot(clerk, 'sealed-report.png')

    // Gia hạn: fresh revocation data and a new document timestamp, stored as the newest signed file.
    const sealedFile = await report.getAttribute('data-file-id')
    await clerk.getByTestId('signature-renew').click()
    await expect.poll(() => clerk.getByTestId('signature-renewed').textContent()).toContain('Đã gia hạn')
    await expect.poll(() => report.getAttribute('data-file-id')).not.toBe(sealedFile)
    await shot(clerk, 'renewed-report.png')

    // An electronic copy: the text stamp with the copy form instead of the seal image.
    await clerk.goto(`${stage.server.baseUrl}/documents/${batchIds[0]}`)
    await clerk.getByTestId('signing-seal').click()
    await clerk.check('#seal-appearance-stamp')
    await clerk.selectOption('#seal-copy-form', 'SAO Y')
    await clerk.fill('#seal-pin', SEAL_PIN)
    await clerk.keyboard.press('Enter')
    await expect
      .poll(() => clerk.getByTestId('signing-panel-success').textContent())
      .toContain('Đã đóng dấu số')
    await clerk.close()
  }, 120_000)

  it('GIVEN the leader’s certificate WHEN wrong PINs lock it THEN the profile shows it locked, signing says until when, and the admin’s “Mở khóa” makes it ready again', async () => {
    const leader = await open(LEADER)
    await leader.getByTestId('nav-profile').click()
    const credential = leader.getByTestId('credential-row')
    await expect.poll(() => credential.count()).toBe(1)
    expect(await credential.getByTestId('credential-state').getAttribute('data-state')).toBe('ready')
    expect(await credential.textContent()).toContain(LEADER_CERT_NAME)
    await leader.getByTestId('signature-image-image').waitFor()

    for (let attempt = 0; attempt < 5; attempt++) {
      await fetch(`${stage.server.baseUrl}/api/documents/${secondDocumentId}/sign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.leader}` },
        body: JSON.stringify({ pin: '999999' }),
      })
    }
    await leader.reload()
    await expect
      .poll(() => credential.getByTestId('credential-state').getAttribute('data-state'))
      .toBe('locked')
    expect(await credential.textContent()).toContain('Tạm khóa đến')

    await leader.goto(`${stage.server.baseUrl}/documents/${secondDocumentId}`)
    await leader.getByTestId('signing-sign').click()
    await expect
      .poll(() => leader.evaluate('document.activeElement && document.activeElement.id'))
      .toBe('sign-pin')
    await leader.keyboard.type(PIN)
    await leader.keyboard.press('Enter')
    await expect.poll(() => leader.getByTestId('error-sign-pin').textContent()).toContain('tạm khóa')
    expect(await leader.getByTestId('error-sign-pin').textContent()).toMatch(
      /đến \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/,
    )
    await leader.close()

    const admin = await open({
      username: 'admin',
      fullName: 'Quản trị',
      roles: ['admin'],
      password: ADMIN_PASSWORD,
    })
    await admin.getByTestId('nav-admin-signing').click()
    const row = admin.getByTestId('signing-credential-row').filter({ hasText: LEADER.fullName })
    await row.getByTestId('credential-unlock').waitFor()
    // Every card has loaded and the images are in: nothing above the table moves under the pointer.
    await expect.poll(() => admin.getByTestId('loading').count()).toBe(0)
    // (evaluate, not waitForFunction: a polled string would need 'unsafe-eval', which the CSP forbids.)
    await expect
      .poll(() => admin.evaluate('[...document.images].every((image) => image.complete)'))
      .toBe(true)
    await row.getByTestId('credential-unlock').click()
    await admin.getByTestId('confirm-ok').click()
    await expect.poll(() => row.getByTestId('credential-state').getAttribute('data-state')).toBe('ready')
    expect(await admin.getByTestId('unlock-success').textContent()).toContain('Đã mở khóa')
    expect(await admin.getByTestId('trust-anchor-row').count()).toBe(1)
    await shot(admin, 'admin-signing.png')
    await admin.close()
  }, 120_000)

  it('GIVEN the unlocked certificate WHEN the leader changes the PIN and uploads a new signature image on the profile THEN the new PIN signs and the new image is shown', async () => {
    const leader = await open(LEADER)
    await leader.getByTestId('nav-profile').click()
    await leader.getByTestId('credential-change-pin').click()
    await leader.fill('#pin-old', PIN)
    await leader.fill('#pin-new', NEW_PIN)
    await leader.fill('#pin-new2', `${NEW_PIN}0`)
    await leader.keyboard.press('Enter')
    expect(await leader.getByTestId('error-pin-new2').textContent()).toContain('không khớp')
    await leader.fill('#pin-new2', NEW_PIN)
    await leader.keyboard.press('Enter')
    await expect.poll(() => leader.getByTestId('signing-success').textContent()).toContain('Đã đổi mã PIN')

    await leader.setInputFiles('#signature-image-file', {
      name: 'chu-ky-moi.png',
      mimeType: 'image/png',
      buffer: demoSignaturePng(480, 200),
    })
    await leader.getByTestId('signature-image-new').waitFor()
    await leader.getByTestId('signature-image-upload').click()
    await expect
      .poll(() => leader.getByTestId('signature-image-success').textContent())
      .toContain('Đã cập nhật hình chữ ký')
    // The stored image is the new one (the page reloads it after the upload).
    const image = leader.getByTestId('signature-image-image')
    await expect.poll(() => image.evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBe(480)
    await shot(leader, 'profile-signing.png')
    await leader.close()

    const id = await uploadDraft('005.pdf', 'Ký bằng mã PIN mới')
    const signed = await api<{ signatureCount: number }>(
      'POST',
      `/api/documents/${id}/sign`,
      { pin: NEW_PIN },
      tokens.leader,
    )
    expect(signed.signatureCount).toBe(1)
    expect(problems, 'console errors or CSP violations').toEqual([])
  }, 120_000)
})
