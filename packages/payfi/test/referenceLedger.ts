// A plain in-memory ledger, written from the rules and not from the engine: the model the
// model-based test compares the real stores with.

type Acct = {
  currency: string
  dmnc: boolean
  cmnd: boolean
  dp: bigint
  dP: bigint
  cp: bigint
  cP: bigint
}
type Leg = { debit: string; credit: string; amount: bigint }
type Pending = { legs: Leg[]; resolved: boolean }

export type RefResult = { ok: true; replayed: boolean } | { ok: false; code: string }

export class ReferenceLedger {
  accounts = new Map<string, Acct>()
  pendings = new Map<string, Pending>()
  /** id → JSON of the input that created it. */
  seen = new Map<string, string>()

  createAccount(
    id: string,
    currency: string,
    flags: { dmnc?: boolean; cmnd?: boolean },
  ): RefResult {
    const a = this.accounts.get(id)
    if (a) {
      return a.currency === currency && a.dmnc === !!flags.dmnc && a.cmnd === !!flags.cmnd
        ? { ok: true, replayed: true }
        : { ok: false, code: 'PAYFI_ID_CONFLICT' }
    }
    this.accounts.set(id, {
      currency,
      dmnc: !!flags.dmnc,
      cmnd: !!flags.cmnd,
      dp: 0n,
      dP: 0n,
      cp: 0n,
      cP: 0n,
    })
    return { ok: true, replayed: false }
  }

  private dedupe(id: string, input: unknown): RefResult | null {
    const key = text(input)
    const prior = this.seen.get(id)
    if (prior === undefined) return null
    return prior === key ? { ok: true, replayed: true } : { ok: false, code: 'PAYFI_ID_CONFLICT' }
  }

  private remember(id: string, input: unknown) {
    this.seen.set(
      id,
      JSON.stringify(input, (_, v) => (typeof v === 'bigint' ? `${v}` : v)),
    )
  }

  entry(id: string, legs: Leg[], pending: boolean): RefResult {
    const d = this.dedupe(id, { kind: pending ? 'pending' : 'posted', legs })
    if (d) return d
    const copy = new Map([...this.accounts].map(([k, v]) => [k, { ...v }]))
    for (const leg of legs) {
      const from = copy.get(leg.debit)
      const to = copy.get(leg.credit)
      if (!from || !to) return { ok: false, code: 'PAYFI_ACCOUNT_NOT_FOUND' }
      if (leg.debit === leg.credit) return { ok: false, code: 'PAYFI_SAME_ACCOUNT' }
      if (from.currency !== to.currency) return { ok: false, code: 'PAYFI_CURRENCY_MISMATCH' }
      if (pending) {
        from.dp += leg.amount
        to.cp += leg.amount
      } else {
        from.dP += leg.amount
        to.cP += leg.amount
      }
      if (from.dmnc && from.dp + from.dP > from.cP)
        return { ok: false, code: 'PAYFI_EXCEEDS_CREDITS' }
      if (to.cmnd && to.cp + to.cP > to.dP) return { ok: false, code: 'PAYFI_EXCEEDS_DEBITS' }
      if (overflows(from) || overflows(to)) return { ok: false, code: 'PAYFI_AMOUNT_OVERFLOW' }
    }
    this.accounts = copy
    if (pending) this.pendings.set(id, { legs, resolved: false })
    this.remember(id, { kind: pending ? 'pending' : 'posted', legs })
    return { ok: true, replayed: false }
  }

  /** Linked transfers: every one commits or none; a replay only when all exist unchanged. */
  linked(inputs: LinkedInput[]): RefResult {
    const keys = inputs.map((x) =>
      x.kind === 'entry'
        ? { kind: x.pending ? 'pending' : 'posted', legs: x.legs }
        : { kind: x.kind, pendingId: x.pendingId, amounts: x.amounts ?? null },
    )
    const prior = inputs.map((x) => this.seen.get(x.id))
    for (const [i, p] of prior.entries())
      if (p !== undefined && p !== text(keys[i])) return { ok: false, code: 'PAYFI_ID_CONFLICT' }
    if (prior.every((p) => p !== undefined)) return { ok: true, replayed: true }
    if (prior.some((p) => p !== undefined)) return { ok: false, code: 'PAYFI_ID_CONFLICT' }
    const saved = {
      accounts: new Map([...this.accounts].map(([k, v]) => [k, { ...v }])),
      pendings: new Map([...this.pendings].map(([k, v]) => [k, { ...v }])),
      seen: new Map(this.seen),
    }
    for (const x of inputs) {
      const r =
        x.kind === 'entry'
          ? this.entry(x.id, x.legs, x.pending)
          : this.resolve(x.id, x.pendingId, x.kind, x.amounts)
      if (!r.ok) {
        Object.assign(this, saved)
        return r
      }
    }
    return { ok: true, replayed: false }
  }

  resolve(id: string, pendingId: string, kind: 'post' | 'void', amounts?: bigint[]): RefResult {
    const d = this.dedupe(id, { kind, pendingId, amounts: amounts ?? null })
    if (d) return d
    const p = this.pendings.get(pendingId)
    if (!p)
      return {
        ok: false,
        code: this.seen.has(pendingId) ? 'PAYFI_NOT_PENDING' : 'PAYFI_TRANSFER_NOT_FOUND',
      }
    if (p.resolved) return { ok: false, code: 'PAYFI_PENDING_ALREADY_RESOLVED' }
    const posted = kind === 'void' ? p.legs.map(() => 0n) : (amounts ?? p.legs.map((l) => l.amount))
    if (posted.length !== p.legs.length) return { ok: false, code: 'PAYFI_INVALID_ARGUMENT' }
    if (posted.some((a, i) => a > p.legs[i]!.amount))
      return { ok: false, code: 'PAYFI_POST_EXCEEDS_PENDING' }
    const copy = new Map([...this.accounts].map(([k, v]) => [k, { ...v }]))
    for (const [i, leg] of p.legs.entries()) {
      const from = copy.get(leg.debit)!
      const to = copy.get(leg.credit)!
      from.dp -= leg.amount
      to.cp -= leg.amount
      from.dP += posted[i]!
      to.cP += posted[i]!
      if (overflows(from) || overflows(to)) return { ok: false, code: 'PAYFI_AMOUNT_OVERFLOW' }
    }
    this.accounts = copy
    p.resolved = true
    this.remember(id, { kind, pendingId, amounts: amounts ?? null })
    return { ok: true, replayed: false }
  }
}

const MAX = (1n << 128n) - 1n
const overflows = (a: Acct) => a.dp > MAX || a.dP > MAX || a.cp > MAX || a.cP > MAX

const text = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}` : x))

export type LinkedInput =
  | { kind: 'entry'; id: string; legs: Leg[]; pending: boolean }
  | { kind: 'post' | 'void'; id: string; pendingId: string; amounts?: bigint[] }
