// detectTransferRestriction gives the same code from the library (TypeScript over the chain's
// state) and from the token on chain, for random combinations of every input the rule reads; and
// a transfer passes on chain exactly when the code is 0.
import { ONE_TOKEN } from '@btt/core'
import { useAnvil } from '@btt/testing'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { contract } from '../src/chain.js'
import {
  detectTransferRestriction,
  registerAsset,
  tokenizeAsset,
  transferTokens,
  verifyInvestor,
} from '../src/index.js'
import { type Fixture, fixture } from './fixture.js'

const anvil = useAnvil()
let f: Fixture
let token: string
const far = () => BigInt(Math.floor(Date.now() / 1000) + 10 * 365 * 86_400)

beforeAll(async () => {
  f = await fixture(anvil())
  for (const p of [f.clinic, f.alice, f.bob])
    await verifyInvestor(f.agent, {
      investor: p.address,
      country: 156,
      accredited: true,
      expiresAt: Date.now() + 365 * 86_400_000,
    })
  await registerAsset(f.agent, {
    id: 'parity',
    type: 'property',
    owner: f.clinic.address,
    currency: 'CNY',
    tier: { complexity: 'low', regulatory: 'standard', assetClass: 'standard' },
    valuation: { value: 1_000_000n, date: Date.now() - 1000, method: 'm', appraiser: 'a' },
  })
  token = (
    await tokenizeAsset(f.agent, {
      assetId: 'parity',
      supply: 1_000n * ONE_TOKEN,
      name: 'P',
      symbol: 'P',
      accreditedOnly: true,
    })
  ).token
  await transferTokens(f.clinic, { token, to: f.alice.address, amount: 100n * ONE_TOKEN })
  await transferTokens(f.clinic, { token, to: f.bob.address, amount: 10n * ONE_TOKEN })
}, 120_000)
afterAll(() => f?.close())

// each restriction rare enough that the later checks in the rule's order are reached too
const rarely = (good: boolean) =>
  fc.oneof(
    { arbitrary: fc.constant(good), weight: 5 },
    { arbitrary: fc.constant(!good), weight: 1 },
  )
const state = fc.record({
  paused: rarely(false),
  fromFrozen: rarely(false),
  toFrozen: rarely(false),
  frozenTokens: fc.constantFrom(0n, 50n * ONE_TOKEN, 100n * ONE_TOKEN),
  fromVerified: rarely(true),
  toVerified: rarely(true),
  toAccredited: rarely(true),
  holdingLimit: fc.constantFrom(0n, 20n * ONE_TOKEN, 200n * ONE_TOKEN),
  amount: fc.constantFrom(
    0n,
    1n,
    10n * ONE_TOKEN,
    50n * ONE_TOKEN,
    51n * ONE_TOKEN,
    100n * ONE_TOKEN,
    101n * ONE_TOKEN,
  ),
})

test('the library and the token agree on every restriction code; code 0 exactly when the transfer goes through', async () => {
  const agent = contract(f.agent.chain, 'AssetToken', token)
  const ids = contract(f.agent.chain, 'IdentityRegistry', f.deployment.identityRegistry)
  const tx = async (p: Promise<{ wait(): Promise<unknown> }>) => (await p).wait()
  const A = f.alice.address
  const B = f.bob.address
  const seen = new Set<number>()
  await fc.assert(
    fc.asyncProperty(state, async (s) => {
      if ((await agent.getFunction('paused')()) !== s.paused)
        await tx(agent.getFunction(s.paused ? 'pause' : 'unpause')())
      await tx(agent.getFunction('setAddressFrozen')(A, s.fromFrozen))
      await tx(agent.getFunction('setAddressFrozen')(B, s.toFrozen))
      const frozen: bigint = await agent.getFunction('frozenTokens')(A)
      if (frozen > 0n) await tx(agent.getFunction('unfreezePartialTokens')(A, frozen))
      if (s.frozenTokens > 0n) await tx(agent.getFunction('freezePartialTokens')(A, s.frozenTokens))
      await tx(
        s.fromVerified
          ? ids.getFunction('registerIdentity')(A, 156, true, far())
          : ids.getFunction('removeIdentity')(A),
      )
      await tx(
        s.toVerified
          ? ids.getFunction('registerIdentity')(B, 156, s.toAccredited, far())
          : ids.getFunction('removeIdentity')(B),
      )
      await tx(agent.getFunction('setHoldingLimit')(s.holdingLimit))
      const lib = await detectTransferRestriction(f.alice, {
        token,
        from: A,
        to: B,
        amount: s.amount,
      })
      const onChain = Number(
        await agent.getFunction('detectTransferRestriction')(A, B, s.amount, {
          blockTag: lib.blockNumber,
        }),
      )
      expect(lib.code).toBe(onChain)
      seen.add(onChain)
      const asAlice = contract(f.alice.chain, 'AssetToken', token)
      const sent = await asAlice
        .getFunction('transfer')
        .staticCall(B, s.amount)
        .then(
          () => 0,
          (e) => Number(e.revert?.args?.[0] ?? -1),
        )
      expect(sent).toBe(onChain)
    }),
    {
      numRuns: 40,
      seed: 16,
      // the last check of the rule, reached only when every earlier one passes
      examples: [
        [
          {
            paused: false,
            fromFrozen: false,
            toFrozen: false,
            frozenTokens: 0n,
            fromVerified: true,
            toVerified: true,
            toAccredited: true,
            holdingLimit: 20n * ONE_TOKEN,
            amount: 50n * ONE_TOKEN,
          },
        ],
      ],
    },
  )
  expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
}, 300_000)
