/** A tiny XML writer: enough for METS, EAD, PREMIS and the TT 05/2025 field lists, always well-formed. */

export type XmlAttrs = Record<string, string | number | null | undefined>
export type XmlNode = string | XmlElement | null | undefined | false
export interface XmlElement {
  name: string
  attrs: XmlAttrs
  children: XmlNode[]
}

/** Characters XML 1.0 forbids are dropped; markup characters escaped. */
export function escapeXml(value: string): string {
  return value
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing what XML 1.0 cannot carry
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

export function el(name: string, attrs: XmlAttrs = {}, ...children: XmlNode[]): XmlElement {
  return { name, attrs, children }
}

/** An element with text content, or nothing when the value is empty. */
export function field(name: string, value: string | number | null | undefined, attrs: XmlAttrs = {}): XmlElement | null {
  if (value === null || value === undefined || value === '') return null
  return el(name, attrs, String(value))
}

function render(node: XmlNode, indent: string, out: string[]): void {
  if (node === null || node === undefined || node === false) return
  if (typeof node === 'string') {
    out.push(escapeXml(node.normalize('NFC')))
    return
  }
  const attrs = Object.entries(node.attrs)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value).normalize('NFC'))}"`)
    .join('')
  const children = node.children.filter((child) => child !== null && child !== undefined && child !== false)
  if (children.length === 0) {
    out.push(`${indent}<${node.name}${attrs}/>\n`)
    return
  }
  if (children.every((child) => typeof child === 'string')) {
    out.push(`${indent}<${node.name}${attrs}>`)
    for (const child of children) render(child, '', out)
    out.push(`</${node.name}>\n`)
    return
  }
  out.push(`${indent}<${node.name}${attrs}>\n`)
  for (const child of children) render(child, `${indent}  `, out)
  out.push(`${indent}</${node.name}>\n`)
}

export function xmlDocument(root: XmlElement): Buffer {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
  render(root, '', out)
  return Buffer.from(out.join(''), 'utf8')
}
