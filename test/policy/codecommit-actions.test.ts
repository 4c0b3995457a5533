import { describe, expect, it } from 'vitest';
import { CODECOMMIT_ACTION_ACCESS, CODECOMMIT_ACTIONS } from '../../functions/policy/codecommit-actions';

describe('CodeCommit action catalogue', () => {
  it('holds the Git actions and many API actions', () => {
    expect(CODECOMMIT_ACTIONS).toContain('GitPull');
    expect(CODECOMMIT_ACTIONS).toContain('GitPush');
    expect(CODECOMMIT_ACTIONS).toContain('CreateRepository');
    expect(CODECOMMIT_ACTIONS.length).toBeGreaterThan(80);
  });

  it('knows the access level of each action (the freshness of the list is checked with the other generated files)', () => {
    expect(Object.keys(CODECOMMIT_ACTION_ACCESS)).toEqual(CODECOMMIT_ACTIONS);
    expect(CODECOMMIT_ACTION_ACCESS.GitPull).toEqual({ level: 'Read', repository: true });
    expect(CODECOMMIT_ACTION_ACCESS.GitPush).toEqual({ level: 'Write', repository: true });
    expect(CODECOMMIT_ACTION_ACCESS.ListRepositories).toEqual({ level: 'List', repository: false });
    expect(CODECOMMIT_ACTION_ACCESS.TagResource?.level).toBe('Write');
  });
});
