import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  to: string[]
  raw: string
}

export interface SmtpSink {
  /** smtp://mailer:secret@127.0.0.1:<port> */
  url: string
  mails: ReceivedMail[]
  /** Resolves once `count` mails have arrived (polls; the test's own timeout bounds it). */
  waitFor(count: number): Promise<ReceivedMail[]>
  close(): Promise<void>
}

/**
 * A real SMTP server on a free loopback port that keeps what it receives. `refuse` makes it turn
 * every recipient away (550), as a server that refuses relaying does.
 */
export async function startSmtpSink(options: { refuse?: boolean } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = []
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 'secret') callback(null, { user: auth.username })
      else callback(new Error('Invalid credentials'))
    },
    onRcptTo(_address, _session, callback) {
      if (options.refuse) {
        const error = Object.assign(new Error('Relay access denied'), { responseCode: 550 })
        callback(error)
      } else callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('latin1'),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as { port: number }
  return {
    url: `smtp://mailer:secret@127.0.0.1:${port}`,
    mails,
    async waitFor(count) {
      while (mails.length < count) await new Promise((resolve) => setTimeout(resolve, 50))
      return mails
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The value of a header, unfolded, with RFC 2047 encoded-words decoded. */
export function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split(/\r\n\r\n/)[0]!.replace(/\r\n[ \t]+/g, ' ')
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  if (!line) return undefined
  // Decode to bytes (latin1 holds one byte per char), then read the bytes as UTF-8.
  const bytes = line
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('latin1')
        : unquote(text.replace(/_/g, ' ')),
    )
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

const unquote = (text: string) =>
  text.replace(/=([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))

/** The decoded body of the first part of the given type (quoted-printable or base64). */
export function partOf(raw: string, contentType: string): string | undefined {
  const parts = raw.split(/\r\n--[^\r\n]+\r\n/)
  const part = parts.find((p) =>
    new RegExp(`^content-type:\\s*${contentType}`, 'im').test(p.split('\r\n\r\n')[0] ?? ''),
  )
  if (!part) return undefined
  const [head, ...rest] = part.split('\r\n\r\n')
  const body = rest.join('\r\n\r\n').replace(/\r\n--[^\r\n]+--[\s\S]*$/, '')
  const encoding = /content-transfer-encoding:\s*(\S+)/i.exec(head ?? '')?.[1]?.toLowerCase()
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding === 'quoted-printable') {
    return Buffer.from(unquote(body.replace(/=\r\n/g, '')), 'latin1').toString('utf8')
  }
  return Buffer.from(body, 'latin1').toString('utf8')
}
