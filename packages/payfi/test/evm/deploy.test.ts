import { defaultConfig, MONTH, milestoneVestedAmount, TOTAL_SUPPLY, vestedAmount } from '@btt/core'
import { useAnvil } from '@btt/testing'
import { Wallet } from 'ethers'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  allocationPlan,
  attach,
  type BttDeployment,
  type ChainConnection,
  connectChain,
  deployBtt,
} from '../../src/evm/index.js'

const anvil = useAnvil()
let chain: ChainConnection
let deployment: BttDeployment
const beneficiary = Wallet.createRandom().address

beforeAll(async () => {
  chain = await connectChain({ rpcUrl: anvil().rpcUrl, privateKey: anvil().privateKeys[0]! })
  deployment = await deployBtt(chain, {
    beneficiaries: { bithive: beneficiary, 'technology-foundation': beneficiary },
  })
}, 120_000)

describe('the BTT token as deployed', () => {
  test('the fixed supply is minted once, to the holders of the allocation table, to the unit', async () => {
    const token = attach(chain, 'BttToken', deployment.token)
    expect(await token.getFunction('totalSupply')()).toBe(TOTAL_SUPPLY)
    const plan = allocationPlan({ fallback: chain.address })
    expect(deployment.allocation.map((a) => a.id)).toEqual(plan.map((p) => p.id))
    let sum = 0n
    for (const a of deployment.allocation) {
      const held = (await token.getFunction('balanceOf')(a.address)) as bigint
      if (a.holder !== 'address') expect(held, a.id).toBe(BigInt(a.amount))
      sum += BigInt(a.amount)
    }
    expect(sum).toBe(TOTAL_SUPPLY)
  })

  test('each vesting wallet vests exactly what @btt/core vestedAmount says, at many instants', async () => {
    const token = deployment.token
    const genesis = defaultConfig.token.genesis
    const wallets = deployment.allocation.filter((a) => a.holder === 'vesting-wallet')
    expect(wallets.length).toBeGreaterThan(0)
    for (const a of wallets) {
      const entry = defaultConfig.allocation.find((e) => e.id === a.id)!
      if (entry.release.kind !== 'linear') throw new Error(`${a.id} is not linear`)
      const schedule = {
        total: BigInt(a.amount),
        start: genesis,
        delay: entry.release.delayMonths * MONTH,
        duration: entry.release.durationMonths * MONTH,
        ...(entry.release.cliffMonths ? { cliff: entry.release.cliffMonths * MONTH } : {}),
      }
      const end = genesis + schedule.delay + schedule.duration
      // boundaries, one second either side of them, and 60 instants spread over the schedule
      const instants = [genesis, genesis + schedule.delay, end]
        .flatMap((t) => [t - 1, t, t + 1])
        .concat(
          Array.from(
            { length: 60 },
            (_, i) => genesis + Math.floor(((end - genesis) * i) / 59) + 7 * i,
          ),
        )
      const wallet = attach(chain, 'BttVestingWallet', a.address)
      const onChain = await Promise.all(
        instants.map(
          (t) => wallet.getFunction('vestedAmount(address,uint64)')(token, t) as Promise<bigint>,
        ),
      )
      for (const [i, t] of instants.entries())
        expect(onChain[i], `${a.id} at ${t}`).toBe(vestedAmount(schedule, { at: t }))
    }
  })

  test('the milestone vault releases a tranche once attested and due, as milestoneVestedAmount says', async () => {
    const a = deployment.allocation.find((x) => x.holder === 'milestone-vault')!
    const entry = defaultConfig.allocation.find((e) => e.id === a.id)!
    if (entry.release.kind !== 'milestones') throw new Error('not milestones')
    const vault = attach(chain, 'MilestoneVault', a.address)
    const genesis = defaultConfig.token.genesis
    // only the attester may attest; the deployer is the attester here
    const stranger = await connectChain({
      rpcUrl: anvil().rpcUrl,
      privateKey: anvil().privateKeys[1]!,
    })
    await expect(
      attach(stranger, 'MilestoneVault', a.address).getFunction('attest')(0),
    ).rejects.toThrow(/NotAttester|revert/)
    await (await vault.getFunction('attest')(0)).wait()
    const attestedAt = (await chain.provider.getBlock('latest'))!.timestamp
    const schedule = {
      total: BigInt(a.amount),
      start: genesis,
      tranches: entry.release.milestones.map((m) => ({
        id: m.id,
        shareBps: m.shareBps,
        notBefore: m.notBeforeMonths * MONTH,
      })),
    }
    const first = entry.release.milestones[0]!
    for (const t of [
      attestedAt,
      genesis + first.notBeforeMonths * MONTH + 1,
      genesis + 60 * MONTH,
    ]) {
      const at = Math.max(t, attestedAt)
      const expected = milestoneVestedAmount(schedule, {
        at,
        attestations: { [first.id]: attestedAt },
      }).vested
      expect(await vault.getFunction('vestedAmount')(at)).toBe(expected)
    }
    // release once due; a second release of the same tranche is refused
    const due = genesis + first.notBeforeMonths * MONTH
    const now = (await chain.provider.getBlock('latest'))!.timestamp
    if (now < due) await chain.provider.send('evm_setNextBlockTimestamp', [due])
    await (await vault.getFunction('release')(0)).wait()
    const token = attach(chain, 'BttToken', deployment.token)
    const tranche0 = milestoneVestedAmount(schedule, {
      at: Math.max(due, attestedAt),
      attestations: { [first.id]: attestedAt },
    }).tranches[0]!.amount
    expect(await token.getFunction('balanceOf')(beneficiary)).toBe(tranche0)
    await expect(vault.getFunction('release')(0)).rejects.toThrow(/AlreadyReleased|revert/)
  })

  test('burns reduce the supply and are recorded with their reason', async () => {
    const token = attach(chain, 'BttToken', deployment.token)
    const before = (await token.getFunction('totalSupply')()) as bigint
    const receipt = await (
      await token.getFunction('burnRecorded')(10n ** 18n, `0x${'ab'.repeat(32)}`)
    ).wait()
    expect(await token.getFunction('totalSupply')()).toBe(before - 10n ** 18n)
    expect(
      receipt.logs.some(
        (l: { fragment?: { name: string } }) => l.fragment?.name === 'BurnRecorded',
      ),
    ).toBe(true)
  })
})
