/** Environment variables, read in one place: required ones fail loudly, naming the variable. */
import { AuditorError } from '../core/errors';

export class ConfigurationError extends AuditorError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '')
    throw new ConfigurationError(`environment variable ${name} is required but not set`);
  return value.trim();
}

export function optionalEnv(name: string, fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

/** The Region a Lambda function runs in (AWS_REGION is always set there). */
export function lambdaRegion(env: NodeJS.ProcessEnv = process.env): string {
  return requiredEnv('AWS_REGION', env);
}
