/** Classifying AWS SDK errors by their code, without importing any SDK (pure: errors are plain objects here). */

export interface AwsErrorInfo {
  code: string;
  message: string;
}

export function awsErrorInfo(error: unknown): AwsErrorInfo {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown; message?: unknown };
    const code =
      [e.Code, e.code, e.name].find((v): v is string => typeof v === 'string' && v !== '' && v !== 'Error') ??
      'UnknownError';
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : code;
    return { code, message };
  }
  return { code: 'UnknownError', message: String(error) };
}

/** The whole account-region is unreachable: disabled region, bad or missing credentials. */
const SCOPE_FAILURES = new Set([
  'OptInRequired',
  'AuthFailure',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'CredentialsProviderError',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);
export function isScopeFailure(code: string): boolean {
  return SCOPE_FAILURES.has(code);
}
