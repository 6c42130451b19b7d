import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Tests read workspace packages from their sources through the `@btt/source` export condition,
// so nothing has to be built first.
export default defineConfig({
  resolve: { conditions: ['@btt/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@btt/source', ...defaultServerConditions] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/src/**/*.test.ts',
      'docs/scripts/**/*.test.ts',
    ],
    benchmark: { include: ['packages/*/src/**/*.bench.ts', 'packages/*/test/**/*.bench.ts'] },
    // every test must make at least one assertion (packages/testing/src/setup.ts)
    setupFiles: ['packages/testing/src/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
