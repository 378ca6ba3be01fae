import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'src/generated/', 'data/', 'tools/', 'test-results/', 'playwright-report/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The app logs through platform/logger, which masks ID numbers; a stray console.log would not.
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Only repositories (and the bulk writers) touch the database: routes and services receive repositories and
    // services (src/services.ts), never db or pool. .dependency-cruiser.cjs forbids the matching imports.
    files: ['src/features/**/*.ts'],
    ignores: [
      'src/features/**/*repository.ts',
      // The bulk writers: COPY and set-based SQL on a client whose transaction the caller owns.
      'src/features/publicity/writer.ts',
      'src/features/commitments/writer.ts',
      'src/features/imports/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='deps'][property.name=/^(db|pool|bulkDb|bulkPool)$/]",
          message: 'Only repositories touch the database: add a method to the feature repository and call it through deps.',
        },
        {
          selector: "MemberExpression[object.type='ThisExpression'][property.name=/^(db|pool|bulkDb|bulkPool)$/]",
          message: 'A service receives repositories, not db or pool: move the query into the feature repository.',
        },
      ],
    },
  },
  {
    // The case workflow reaches the database only through its repository: the service, the routes and the kind
    // definitions get typed rows from it and never a client, a pool or a driver.
    files: ['src/features/cases/**/*.ts'],
    ignores: ['src/features/cases/repository.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['pg', '**/platform/database/*', '**/generated/prisma/client.js'],
              message: 'Cases query the database only in src/features/cases/repository.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
  {
    files: ['scripts/**', 'tests/**'],
    rules: { 'no-console': 'off' },
  },
);
