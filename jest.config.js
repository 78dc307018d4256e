/** Two projects: Node code (functions, local stack, packages, bench) and the Angular SPA. */
module.exports = {
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: [
        '<rootDir>/contract',
        '<rootDir>/functions',
        '<rootDir>/local',
        '<rootDir>/packages',
        '<rootDir>/infra',
        '<rootDir>/bench',
      ],
      // `@hubbub/*` imports run the packages' TypeScript sources, not a build that may be stale.
      testEnvironmentOptions: { customExportConditions: ['node', 'require', 'hubbub-source'] },
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/functions/testing/quiet-test-mode.ts'],
      // One Azurite for the whole run; the functions' suites reach it through HUBBUB_TEST_STORAGE_CONNECTION_STRING.
      globalSetup: '<rootDir>/local/testing/jest-global-setup.ts',
      globalTeardown: '<rootDir>/local/testing/jest-global-teardown.ts',
      transform: {
        '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.server-spec.json' }],
      },
    },
    {
      displayName: 'spa',
      preset: 'jest-preset-angular',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/src/setup-jest.ts'],
      transform: {
        '^.+\\.(ts|js|mjs|html|svg)$': [
          'jest-preset-angular',
          { tsconfig: '<rootDir>/tsconfig.spec.json', stringifyContentPathRegex: '\\.(html|svg)$' },
        ],
      },
      // ES-module-only packages are compiled for Jest too: every .mjs file, marked and gemoji.
      transformIgnorePatterns: ['node_modules/(?!(?:marked|gemoji)/|.*\\.mjs$)'],
    },
  ],
};
