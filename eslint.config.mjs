import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'bench/.data/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      'no-console': ['error', {allow: ['error']}],
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error',
    },
  },
  {
    // The start-up budget: oclif's index loads its parser, flags and a semver check that its subpath modules spare,
    // and the packages of the lazy boundary (src/lib/lazy-modules.ts) load only there.
    files: ['src/**'],
    ignores: ['src/lib/lazy-modules.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@oclif/core',
              message:
                'Import from its subpaths (@oclif/core/flags, /args, /command, /help): the index is slower to load.',
              allowTypeImports: true,
            },
            ...['got', 'ajv', 'yaml', 'listr2', 'hpagent', 'proxy-from-env', 'node:http', 'node:https'].map((name) => ({
              name,
              message: 'Load it through src/lib/lazy-modules.ts (the one lazy boundary); type imports are fine.',
              allowTypeImports: true,
            })),
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'fake-atlassian/**', 'bench/**', 'scripts/**'],
    rules: {'no-console': 'off', '@typescript-eslint/no-unused-expressions': 'off'},
  },
)
