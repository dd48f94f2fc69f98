/** Longer names are shortened in the middle: the start says what it is, the end keeps the extension. */
export const FILE_NAME_SHOWN = 72

export function shortFileName(name: string, max = FILE_NAME_SHOWN): string {
  const chars = [...name]
  if (chars.length <= max) return name
  const tail = Math.min(24, Math.floor(max / 3))
  const head = chars.slice(0, max - tail - 1).join('')
  // Cut after a whole word when one ends near the limit.
  const wordEnd = Math.max(...[' ', '_', '-', ','].map((separator) => head.lastIndexOf(separator)))
  const cut = wordEnd > head.length * 0.6 ? head.slice(0, wordEnd) : head
  return `${cut.trimEnd()}…${chars.slice(-tail).join('').trimStart()}`
}

/**
 * A file name as people read it: whole when short, shortened in the middle when long (a 460-character
 * scan name would otherwise push a five-line block above the document), the whole name on hover and for
 * screen readers.
 */
export function FileName({ name, className, testId }: { name: string; className?: string; testId?: string }) {
  const shown = shortFileName(name)
  if (shown === name)
    return (
      <span className={className} data-testid={testId}>
        {name}
      </span>
    )
  return (
    <span className={className} title={name} data-testid={testId} data-full-name={name}>
      <span aria-hidden="true">{shown}</span>
      <span className="sr-only">{name}</span>
    </span>
  )
}
