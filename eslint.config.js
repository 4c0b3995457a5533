import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.serverless/', 'bench/out/', 'coverage/'] },
  js.configs.recommended,
  {
    // The shipped code gets the type-aware rules; tests, benchmarks and scripts the syntactic ones
    // (the typecheck covers their types, and linting them with types would double npm test's time).
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['functions/**/*.ts', 'infra/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // The pure core never talks to AWS, neither through the SDK nor through the adapters.
    files: ['functions/core/**', 'functions/checks/**', 'functions/policy/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'core, checks and policy stay pure: no AWS SDK.' },
            {
              regex: '^\\.\\.?/(.*/)?(aws|publish|jobs|handlers|cli)/',
              message: 'core, checks and policy import nothing above them.',
            },
          ],
        },
      ],
    },
  },
  {
    // Core is the ground floor: nothing below it.
    files: ['functions/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'core stays pure: no AWS SDK.' },
            { regex: '^\\.\\./', message: 'core imports nothing above it.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // Last: formatting is Prettier's job (npm run lint runs prettier --check).
  prettier,
);
