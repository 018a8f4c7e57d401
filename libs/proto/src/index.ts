export * from './proto-root';
export * from './load-proto-package';
export * from './generated';
export type { ErrorDetail, PageRequest, PageResponse, Quantity, TimeRange } from './generated/reflux/common/v1';
