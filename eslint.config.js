// Lint for the whole monorepo, including the one-way import rules of STYLE.md.
import fs from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const features = fs.existsSync('apps/console/src/features')
  ? fs.readdirSync('apps/console/src/features', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
  : [];

const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

const noReactI18next = {
  group: ['react-i18next'],
  message: "Use useTranslation from '@/lib/use-translation': one context for every component, no copy of i18next per component.",
};

const noApps = { group: ['@berth/server', '@berth/console', '**/apps/**'], message: 'Packages never import apps.' };

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/out/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  { files: ['apps/console/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['scripts/**', 'bench/**', 'e2e/**', '**/*.test.ts', 'packages/testkit/**'], rules: { 'no-console': 'off' } },

  // Packages: one job each, never reaching into apps; the API contract depends on zod alone.
  restrict(['packages/**/*.ts'], [noApps]),
  restrict(['packages/api/**/*.ts'], [noApps, { group: ['@berth/*', 'node:*'], message: 'The API contract is shared with the browser: zod only.' }]),
  restrict(['packages/oci/**/*.ts', 'packages/policy/**/*.ts'], [noApps, { group: ['@berth/store', '@berth/testkit'], message: 'Pure packages do not touch storage.' }]),
  // Server layers: http → services → store; services never reach up to the edges.
  restrict(['apps/server/src/services/**/*.ts'], [
    { group: ['**/http/**', '**/frontdoor/**', 'express'], message: 'Services do not know about HTTP.' },
    { group: ['@berth/testkit'], message: 'Test helpers stay out of production code.' },
  ]),
  restrict(['apps/server/src/**/*.ts'], [{ group: ['@berth/console', '**/apps/console/**'], message: 'The server does not import the console.' }]),
  // Console: app composes features; features never import each other; ui and lib import neither.
  restrict(['apps/console/src/**'], [noReactI18next]),
  restrict(['apps/console/src/components/**', 'apps/console/src/lib/**'], [
    noReactI18next,
    { group: ['@/features/*', '@/app/*', '**/features/**', '**/app/**'], message: 'Shared code imports neither features nor app.' },
  ]),
  ...features.map((f) =>
    restrict([`apps/console/src/features/${f}/**`], [
      noReactI18next,
      {
        group: ['@/features/*', '!@/features/' + f, '!@/features/' + f + '/**', '@/app/*'],
        message: 'Features never import other features or the app; compose them in app/.',
      },
    ]),
  ),
);
