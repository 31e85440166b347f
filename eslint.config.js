// Lint: size limits (STYLE 29), module boundaries (STYLE 16) and a ban list for money code.
// Cycles and the dependency direction are checked by tools/tidy.test.ts.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.huduma/**', 'coverage/**', 'bench/.out/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 70, skipBlankLines: true, skipComments: true }],
      'max-len': ['error', { code: 100, ignoreUrls: true, ignoreStrings: false,
        ignoreTemplateLiterals: false, ignoreRegExpLiterals: true }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^#modules/[^/]+/(?!index\\.ts$)',
          message: 'Modules import each other only through index.ts.',
        }, {
          regex: '^(\\.\\./)+modules/',
          message: 'Use #modules/<name>/index.ts, not a relative path into another module.',
        }],
      }],
    },
  },
  {
    // Tests describe behaviour step by step; a long test is clearer than a split one.
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['src/platform/money/**/*.ts', 'src/modules/ledger/**/*.ts',
      'src/modules/payments/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', 'parseFloat', 'parseInt'],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.property.name='toFixed']", message: 'Money is bigint.' },
        { selector: "CallExpression[callee.name='Number']", message: 'Money is bigint, not Number.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='round']",
          message: 'Money is bigint; no rounding of floats.' },
      ],
    },
  },
);
