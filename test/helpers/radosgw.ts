import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, connect } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const BINARIES = ['/usr/bin/ceph-mon', '/usr/bin/ceph-osd', '/usr/bin/radosgw', '/usr/bin/ceph-authtool', '/usr/bin/monmaptool', '/usr/bin/radosgw-admin', '/usr/bin/ceph']

/** Whether Debian's Ceph (radosgw ceph-common ceph-mon ceph-osd) is installed; tests needing it say skipped otherwise. */
export const radosgwAvailable = BINARIES.every((binary) => existsSync(binary))

export interface Radosgw {
  endPoint: string
  port: number
  accessKey: string
  secretKey: string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function waitForPort(port: number, ms: number, processes: ChildProcess[], logDir: string): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const dead = processes.find((p) => p.exitCode !== null)
    if (dead) throw new Error(`a Ceph process exited with ${dead.exitCode}; logs in ${logDir}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`radosgw did not listen on 127.0.0.1:${port} within ${ms} ms; logs in ${logDir}`)
}

/**
 * A real S3 gateway on loopback: Ceph's ceph-mon, one ceph-osd on memstore (data in RAM) and radosgw,
 * three unprivileged foreground processes in a temporary folder, every port on 127.0.0.1, no auth
 * between them (crc messenger modes, which radosgw needs even with auth off), pools of size one.
 * radosgw itself checks SigV4 and supports versioning and Object Lock. ~15 s to start.
 */
export async function startRadosgw(): Promise<Radosgw> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-ceph-'))
  const [monPort, rgwPort, portMin] = [await freePort(), await freePort(), 20000 + Math.floor(Math.random() * 20000)]
  const fsid = randomUUID()
  const conf = path.join(dir, 'ceph.conf')
  const keyring = path.join(dir, 'keyring')
  await Promise.all(['mon/ceph-a', 'osd/ceph-0', 'run', 'log', 'rgw'].map((sub) => mkdir(path.join(dir, sub), { recursive: true })))
  await writeFile(
    conf,
    `[global]
fsid = ${fsid}
mon host = [v2:127.0.0.1:${monPort}]
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
ms client mode = crc
ms cluster mode = crc
ms service mode = crc
ms bind msgr1 = false
ms bind ipv4 = true
ms bind ipv6 = false
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind port min = ${portMin}
ms bind port max = ${portMin + 100}
osd objectstore = memstore
memstore device bytes = 1073741824
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon max pg per osd = 1000
osd crush chooseleaf type = 0
mon data = ${dir}/mon/$cluster-$id
osd data = ${dir}/osd/$cluster-$id
run dir = ${dir}/run
log file = ${dir}/log/$name.log
admin socket = ${dir}/run/$name.asok
keyring = ${keyring}
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw data = ${dir}/rgw
rgw dns name = 127.0.0.1
`,
  )
  const processes: ChildProcess[] = []
  const stop = async () => {
    for (const child of processes.reverse()) {
      if (child.exitCode === null) child.kill('SIGTERM')
    }
    await Promise.all(
      processes.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve()
            const timer = setTimeout(() => {
              child.kill('SIGKILL')
              resolve()
            }, 5000)
            child.once('exit', () => {
              clearTimeout(timer)
              resolve()
            })
          }),
      ),
    )
    if (!process.env.VANTHU_KEEP_CEPH) await rm(dir, { recursive: true, force: true })
  }
  const daemon = (binary: string, args: string[]) => {
    const child = spawn(binary, [...args, '-c', conf, '-f'], { stdio: 'ignore' })
    processes.push(child)
    return child
  }
  try {
    await run('/usr/bin/ceph-authtool', ['--create-keyring', keyring, '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *'])
    await run('/usr/bin/ceph-authtool', [keyring, '--gen-key', '-n', 'client.admin', '--cap', 'mon', 'allow *', '--cap', 'osd', 'allow *', '--cap', 'mgr', 'allow *'])
    await run('/usr/bin/monmaptool', ['--create', '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, '--fsid', fsid, path.join(dir, 'monmap')])
    await run('/usr/bin/ceph-mon', ['--mkfs', '-i', 'a', '--monmap', path.join(dir, 'monmap'), '--keyring', keyring, '-c', conf])
    daemon('/usr/bin/ceph-mon', ['-i', 'a'])
    await waitForPort(monPort, 20_000, processes, path.join(dir, 'log'))
    const ceph = (...args: string[]) => run('/usr/bin/ceph', ['-c', conf, '--connect-timeout', '15', ...args])
    // The OSD's uuid must be the one the monitor knows, or its boot is ignored.
    const osdUuid = randomUUID()
    await ceph('osd', 'create', osdUuid)
    await run('/usr/bin/ceph-osd', ['-i', '0', '--mkfs', '--osd-uuid', osdUuid, '-c', conf])
    daemon('/usr/bin/ceph-osd', ['-i', '0'])
    daemon('/usr/bin/radosgw', ['-n', 'client.rgw.a'])
    await waitForPort(rgwPort, 60_000, processes, path.join(dir, 'log'))
    const accessKey = `VANTHU${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}`
    const secretKey = randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '').slice(0, 8)
    await run('/usr/bin/radosgw-admin', ['-c', conf, 'user', 'create', '--uid=vanthu-test', '--display-name=vanthu test', `--access-key=${accessKey}`, `--secret-key=${secretKey}`])
    return { endPoint: '127.0.0.1', port: rgwPort, accessKey, secretKey, stop }
  } catch (error) {
    const logs = await readFile(path.join(dir, 'log', 'client.rgw.a.log'), 'utf8').catch(() => '')
    await stop()
    throw new Error(`radosgw did not start: ${(error as Error).message}\n${logs.slice(-2000)}`)
  }
}
