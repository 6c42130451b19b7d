import { beforeEach, expect } from 'vitest'

// Every test must check something: a test that ends without a single assertion fails.
// (A property test counts when its predicate asserts; `fc.pre` discards cases instead of passing them.)
beforeEach(() => {
  expect.hasAssertions()
})
