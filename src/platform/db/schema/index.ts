export * from './audit.ts'
export * from './documents.ts'
export * from './jobs.ts'
