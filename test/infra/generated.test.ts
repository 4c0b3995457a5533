import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../infra/gen';

describe('generated files', () => {
  it.each(Object.entries(generatedFiles()))('%s is up to date (run `npm run gen`)', (path, content) => {
    expect(readFileSync(path, 'utf8')).toBe(content);
  });
});
