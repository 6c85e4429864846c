// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Rules that catch bugs rather than restyle code. The promise rules need
 * types: a promise nobody awaits is an unhandled rejection in the API, and an
 * assertion that never runs in a test.
 *
 * Not here: consistent-type-imports. DTOs must stay value imports where
 * validation reads them (STYLE.md: `import type` of a DTO silently switches
 * validation off), and the rule would turn a DTO that a file uses only as a
 * type into one; type imports of request DTOs in controllers and DTO files
 * are refused below instead.
 */
export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      // src and test: the spec tsconfig covers both.
      parserOptions: { project: './tsconfig.spec.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Where the ValidationPipe reads a parameter's class from decorator
    // metadata (controllers) or a DTO nests another (dto/), a type-only import
    // of a request DTO or query leaves no class behind: nothing is validated.
    files: ['src/**/*.controller.ts', 'src/**/dto/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[importKind='type'] > ImportSpecifier[imported.name=/(Dto|Query)$/]",
          message: 'A request DTO must be imported as a class: a type-only import switches validation off (STYLE.md).',
        },
        {
          selector: "ImportSpecifier[importKind='type'][imported.name=/(Dto|Query)$/]",
          message: 'A request DTO must be imported as a class: a type-only import switches validation off (STYLE.md).',
        },
      ],
    },
  },
  {
    // supertest types every response body as `any`; the tests' own shapes follow it.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
);
