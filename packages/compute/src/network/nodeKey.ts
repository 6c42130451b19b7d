import { Wallet } from 'ethers'

/** A new random Ethereum key for a node: its private key (0x…) and address. */
export function newNodeKey(): { privateKey: string; address: string } {
  const wallet = Wallet.createRandom()
  return { privateKey: wallet.privateKey, address: wallet.address }
}
