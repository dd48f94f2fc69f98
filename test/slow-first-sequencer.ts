import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * CI runs on a clean clone, where vitest has no timings and orders files by size, so a small but slow
 * file could start last and run alone while the other worker idles. These files (each 20 s or more:
 * server processes, browsers, OCR, job retry delays) start first; the rest keep vitest's order and fill
 * the gaps.
 */
const SLOW_FIRST = [
  'e2e/processes.test.ts',
  'browser/signing-ui.test.ts',
  'e2e/text-extraction.test.ts',
  'e2e/search-quality.test.ts',
  'integration/jobs.test.ts',
  'e2e/signature-requests.test.ts',
  'e2e/text-extraction-retry.test.ts',
  'integration/sig-corpus.test.ts',
  'integration/text-ocr.test.ts',
]

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const rank = (file: TestSpecification) => {
      const index = SLOW_FIRST.findIndex((suffix) => file.moduleId.endsWith(`/test/${suffix}`))
      return index === -1 ? SLOW_FIRST.length : index
    }
    return sorted
      .map((file, position) => ({ file, position }))
      .sort((a, b) => rank(a.file) - rank(b.file) || a.position - b.position)
      .map(({ file }) => file)
  }
}
