/**
 * NestJS 12 ships ES modules only, so Jest runs in ESM mode
 * (node --experimental-vm-modules) with ts-jest emitting ESM.
 */
const tsJest = ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }];

const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
};

export default {
  rootDir: '.',
  testTimeout: 60_000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/support/**/*.spec.ts'] },
    // Their traffic goes through the contract proxy (test/support/contract-proxy.ts).
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'], globals: { __CONTRACT_PROXY__: true } },
    { ...shared, displayName: 'security', testMatch: ['<rootDir>/test/security/**/*.spec.ts'], globals: { __CONTRACT_PROXY__: true } },
    { ...shared, displayName: 'reliability', testMatch: ['<rootDir>/test/reliability/**/*.spec.ts'] },
  ],
};
