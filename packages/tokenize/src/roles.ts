import { id } from 'ethers'
import type { TokenizeContractName } from './artifacts.js'
import { contract, read } from './chain.js'
import type { Tokenization } from './context.js'
import { TokenizeError } from './errors.js'

const roles = {
  AGENT_ROLE: id('AGENT_ROLE'),
  REGISTRAR_ROLE: id('REGISTRAR_ROLE'),
} as const

/**
 * Refuses, before any transaction, a key that lacks the role a contract call needs.
 *
 * @throws {TokenizeError} `TOKENIZE_NOT_AGENT`, `TOKENIZE_CHAIN_*`.
 */
export async function requireRole(
  t: Pick<Tokenization, 'chain'>,
  name: TokenizeContractName,
  address: string,
  role: keyof typeof roles,
): Promise<void> {
  const c = contract(t.chain, name, address)
  const has = await read(`checking ${role}`, () =>
    c.getFunction('hasRole')(roles[role], t.chain.address),
  )
  if (!has)
    throw new TokenizeError(
      'TOKENIZE_NOT_AGENT',
      `${t.chain.address} does not hold ${role} on ${name} ${address}.`,
      { details: { role, contract: name, address, account: t.chain.address } },
    )
}
