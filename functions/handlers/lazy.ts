/**
 * A Lambda handler built on its first event, once per container: clients and settings are made
 * then (a missing variable is a clear error for that event, not a crash at import), and an
 * initialisation that fails is tried again on the next event rather than remembered.
 */
export function lazyHandler<E, R, C>(init: () => (event: E, context?: C) => Promise<R>) {
  let handler: ((event: E, context?: C) => Promise<R>) | undefined;
  return (event: E, context?: C): Promise<R> => {
    handler ??= init();
    return handler(event, context);
  };
}
