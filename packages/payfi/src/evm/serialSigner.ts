import {
  AbstractSigner,
  type Provider,
  type TransactionRequest,
  type TransactionResponse,
  type TypedDataDomain,
  type TypedDataField,
  type Wallet,
} from 'ethers'

/**
 * The one nonce manager for a key, owned by the library. Transactions are sent one at a time: the
 * next nonce is taken only once a transaction has been fully prepared (gas estimated), and used
 * only when the node accepted it, so a transaction that fails before broadcast (a revert found by
 * gas estimation, a bad argument) leaves no gap that would strand every later one — the failure
 * of ethers' own `NonceManager`, which counts the nonce before preparing. After an error whose
 * outcome is unknown, the next transaction re-reads the pending nonce from the node.
 */
export class SerialSigner extends AbstractSigner {
  #wallet: Wallet
  #next: number | undefined
  #queue: Promise<unknown> = Promise.resolve()

  constructor(wallet: Wallet) {
    super(wallet.provider)
    this.#wallet = wallet
  }

  override connect(provider: Provider | null): SerialSigner {
    return new SerialSigner(this.#wallet.connect(provider))
  }

  override getAddress(): Promise<string> {
    return this.#wallet.getAddress()
  }

  override signTransaction(tx: TransactionRequest): Promise<string> {
    return this.#wallet.signTransaction(tx)
  }

  override signMessage(message: string | Uint8Array): Promise<string> {
    return this.#wallet.signMessage(message)
  }

  override signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string> {
    return this.#wallet.signTypedData(domain, types, value)
  }

  /** Forget the counted nonce: the next transaction reads the pending nonce from the node. */
  reset(): void {
    this.#next = undefined
  }

  override sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    const run = this.#queue.then(async () => {
      const populated = await this.#wallet.populateTransaction({ ...tx, nonce: 0 })
      this.#next ??= await this.#wallet.getNonce('pending')
      populated.nonce = this.#next
      try {
        const sent = await this.#wallet.sendTransaction(populated)
        this.#next += 1
        return sent
      } catch (error) {
        this.reset() // accepted or not, we do not know: ask the node next time
        throw error
      }
    })
    this.#queue = run.catch(() => undefined)
    return run
  }
}
