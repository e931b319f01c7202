import nx from '@nx/eslint-plugin';

// Module boundaries follow ARCHITECTURE.md: app -> domain lib -> {inference, platform};
// never domain -> app, never one domain into another, and the inference library knows no domain.
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/generated/**', '**/node_modules/**', '.data/**', '.cache/**', 'test/artifacts/**', 'models/**/*.py', 'apps/aml-console/dist/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:inference', 'type:platform'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:inference', 'type:platform'] },
            { sourceTag: 'type:inference', onlyDependOnLibsWithTags: ['type:platform'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:aml', onlyDependOnLibsWithTags: ['scope:aml', 'scope:shared'] },
            { sourceTag: 'scope:trading', onlyDependOnLibsWithTags: ['scope:trading', 'scope:shared'] },
            { sourceTag: 'scope:emr', onlyDependOnLibsWithTags: ['scope:emr', 'scope:shared'] },
            { sourceTag: 'scope:imaging', onlyDependOnLibsWithTags: ['scope:imaging', 'scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs', 'scripts/**/*.mjs', 'jest.*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
