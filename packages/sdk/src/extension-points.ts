/**
 * A typed extension point: a place where one plugin (the owner) lets others contribute values
 * of type `T` during phase 1 (`register`). The registry freezes before phase 2, so the owner
 * always sees every contribution.
 */
export interface ExtensionPoint<T> {
  readonly kind: 'extension-point';
  readonly id: string;
  readonly description?: string;
  /** Phantom: carries T for the type checker. */
  readonly __type?: T;
}

export function createExtensionPoint<T>(id: string, description?: string): ExtensionPoint<T> {
  return Object.freeze({ kind: 'extension-point' as const, id, description });
}

/** A typed reference to a service that one plugin provides and others consume. */
export interface ServiceRef<T> {
  readonly kind: 'service-ref';
  readonly id: string;
  readonly __type?: T;
}

export function createServiceRef<T>(id: string): ServiceRef<T> {
  return Object.freeze({ kind: 'service-ref' as const, id });
}
