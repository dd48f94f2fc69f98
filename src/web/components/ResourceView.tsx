import type { ReactNode } from 'react'
import { EmptyState, ErrorState, LoadingState } from './feedback.tsx'
import type { Loaded } from './hooks.ts'

/**
 * The three states of a resource loaded with `useLoad`: the error (with retry) wins, then the spinner
 * until data has arrived, then `EmptyState` when `isEmpty(data)`, else `children(data)`.
 */
export function ResourceView<T>({
  resource,
  isEmpty,
  emptyTestId,
  empty,
  children,
}: {
  resource: Loaded<T>
  isEmpty: (data: T) => boolean
  emptyTestId: string
  empty: ReactNode
  children: (data: T) => ReactNode
}) {
  if (resource.error) return <ErrorState error={resource.error} onRetry={resource.reload} />
  if (resource.data === undefined) return <LoadingState />
  if (isEmpty(resource.data)) return <EmptyState testId={emptyTestId}>{empty}</EmptyState>
  return <>{children(resource.data)}</>
}
