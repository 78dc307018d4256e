/** Two projects: Node code (functions, local stack, bench) and the Angular SPA. */
module.exports = {
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/contract', '<rootDir>/functions', '<rootDir>/local', '<rootDir>/infra', '<rootDir>/bench'],
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/functions/testing/quiet-test-mode.ts'],
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
      transformIgnorePatterns: ['node_modules/(?!.*\\.mjs$)'],
    },
  ],
};
