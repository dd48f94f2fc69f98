const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
}

function unescapeHtml(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity)
}

/**
 * A snippet's pieces: the server sends HTML-escaped text with `<mark>` around the matches. It is split
 * here and rendered as React text, never as HTML, so nothing in a document's text can become markup.
 */
export function snippetParts(html: string): { text: string; marked: boolean }[] {
  return html
    .split(/(<mark>[\s\S]*?<\/mark>)/)
    .filter((piece) => piece !== '')
    .map((piece) => {
      const marked = piece.startsWith('<mark>') && piece.endsWith('</mark>')
      return { text: unescapeHtml(marked ? piece.slice(6, -7) : piece), marked }
    })
}

export function HighlightedText({ html }: { html: string }) {
  return (
    <>
      {snippetParts(html).map((part, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one snippet never reorder.
        part.marked ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </>
  )
}
