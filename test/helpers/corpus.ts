import path from 'node:path'

/** The shared corpus of fictional Vietnamese official documents (../shared/corpus beside the repo). */
export const CORPUS_DIR = path.resolve(import.meta.dirname, '../../../shared/corpus')

export function corpusFile(name: string): string {
  return path.join(CORPUS_DIR, 'docs', name)
}
