import { Contract, ContractFactory, getCreateAddress } from 'ethers'
import { PayfiError } from '../errors.js'
import { type AllocationPlanParameters, allocationPlan } from './allocationPlan.js'
import { type ContractName, contractArtifact } from './artifacts.js'
import type { ChainConnection } from './connect.js'

/** Addresses of a BTT deployment, as `btt chain deploy` writes them (deployment.json). */
export type BttDeployment = {
  chainId: string
  deployer: string
  token: string
  batchPayout: string
  /** Each allocation entry: where its tokens are held and how many (base units, decimal string). */
  allocation: { id: string; holder: string; address: string; amount: string }[]
}

export type DeployBttParameters = Omit<AllocationPlanParameters, 'fallback'> & {
  /** Default: the deployer. */
  fallback?: string
  /** Owner of the batch-payout contract (the settlement key); default: the deployer. */
  payoutOwner?: string
}

/**
 * Deploys the BTT token with its fixed supply minted to the holders of @btt/core's allocation
 * table (OpenZeppelin vesting wallets, milestone vaults, plain addresses) and the batch-payout
 * contract. Holders are deployed first at addresses computed from the deployer's nonces, so the
 * token mints to them in its constructor and no one ever holds an unallocated supply.
 *
 * @throws {PayfiError} `PAYFI_CHAIN_REVERTED`, `PAYFI_CHAIN_UNAVAILABLE`.
 */
export async function deployBtt(
  chain: ChainConnection,
  parameters: DeployBttParameters = {},
): Promise<BttDeployment> {
  const plan = allocationPlan({ ...parameters, fallback: parameters.fallback ?? chain.address })
  const contracts = plan.filter((h) => h.holder !== 'address').length
  const first = await chain.signer.getNonce('pending')
  const tokenAddress = getCreateAddress({ from: chain.address, nonce: first + contracts })
  const allocation: BttDeployment['allocation'] = []
  for (const h of plan) {
    let address: string
    if (h.holder === 'vesting-wallet')
      address = await deploy(chain, 'BttVestingWallet', [
        h.beneficiary,
        h.start,
        h.duration,
        h.cliff,
      ])
    else if (h.holder === 'milestone-vault')
      address = await deploy(chain, 'MilestoneVault', [
        tokenAddress,
        h.beneficiary,
        h.attester,
        h.tranches.map((t) => t.amount),
        h.tranches.map((t) => t.notBefore),
      ])
    else address = h.address
    allocation.push({ id: h.id, holder: h.holder, address, amount: h.amount.toString() })
  }
  const supply = plan.reduce((sum, h) => sum + h.amount, 0n)
  const token = await deploy(chain, 'BttToken', [
    'BTT',
    'BTT',
    supply,
    allocation.map((a) => a.address),
    plan.map((h) => h.amount),
  ])
  if (token.toLowerCase() !== tokenAddress.toLowerCase())
    throw new PayfiError(
      'PAYFI_CHAIN_REVERTED',
      'The token was not deployed at its computed address (another transaction used the deployer key meanwhile).',
      {
        details: { expected: tokenAddress, actual: token },
      },
    )
  const batchPayout = await deploy(chain, 'BatchPayout', [parameters.payoutOwner ?? chain.address])
  return {
    chainId: chain.chainId.toString(),
    deployer: chain.address,
    token,
    batchPayout,
    allocation,
  }
}

/** Deploys one of PayFi's contracts and waits for it; returns its address. */
export async function deploy(
  chain: ChainConnection,
  name: ContractName,
  args: readonly unknown[],
): Promise<string> {
  return deployArtifact(chain, contractArtifact(name), args, name)
}

/**
 * Deploys any compiled contract (ABI and creation bytecode, e.g. another package's artifact)
 * through the connection's serial signer and waits for it; returns its address.
 *
 * @throws {PayfiError} `PAYFI_CHAIN_REVERTED`, `PAYFI_CHAIN_TIMEOUT`, `PAYFI_CHAIN_UNAVAILABLE`.
 */
export async function deployArtifact(
  chain: ChainConnection,
  artifact: { abi: readonly unknown[]; bytecode: string },
  args: readonly unknown[],
  name = 'contract',
): Promise<string> {
  try {
    const factory = new ContractFactory(artifact.abi as never, artifact.bytecode, chain.signer)
    const contract = await factory.deploy(...args)
    const receipt = await contract.deploymentTransaction()?.wait(1, chain.waitSeconds * 1000)
    if (!receipt?.contractAddress)
      throw new PayfiError('PAYFI_CHAIN_REVERTED', `${name} was not deployed.`, {
        details: { contract: name },
      })
    return receipt.contractAddress
  } catch (error) {
    throw chainError(error, `deploying ${name}`)
  }
}

/** A contract of PayFi's at `address`, connected to the chain's signer. */
export function attach(chain: ChainConnection, name: ContractName, address: string): Contract {
  return new Contract(address, contractArtifact(name).abi as never, chain.signer)
}

/** Maps an ethers error to a coded one: reverts, timeouts, unreachable nodes. */
export function chainError(error: unknown, doing: string): PayfiError {
  if (error instanceof PayfiError) return error
  const e = error as { code?: string; shortMessage?: string; message?: string; revert?: unknown }
  const message = e.shortMessage ?? e.message ?? String(error)
  if (e.code === 'CALL_EXCEPTION')
    return new PayfiError('PAYFI_CHAIN_REVERTED', `Reverted while ${doing}: ${message}`, {
      cause: error,
      details: { doing, revert: JSON.parse(JSON.stringify(e.revert ?? null)) },
    })
  if (e.code === 'TIMEOUT')
    return new PayfiError('PAYFI_CHAIN_TIMEOUT', `Timed out while ${doing}: ${message}`, {
      cause: error,
      details: { doing },
    })
  return new PayfiError('PAYFI_CHAIN_UNAVAILABLE', `Chain error while ${doing}: ${message}`, {
    cause: error,
    details: { doing, code: e.code ?? null },
  })
}
