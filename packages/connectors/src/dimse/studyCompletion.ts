import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export type CompletedStudy = {
  studyInstanceUid: string
  /** Every file of the study in the spool folder, sorted. */
  files: string[]
  callingAet: string
  /**
   * Why it is complete: `count` (every instance announced by Number of Study Related Instances
   * arrived and no association is sending it), `quiet` (no association is sending it and none
   * brought an instance for `quietSeconds`), or `timeout` (short of its count, or a sender
   * aborted, and `incompleteAfterSeconds` passed).
   */
  reason: 'count' | 'quiet' | 'timeout'
  /** Number of Study Related Instances (0020,1208) when an instance carried it. */
  expectedInstances?: number
  /**
   * The study was complete before (instances arrived after it completed): the consumer updates
   * its result rather than starting over. Known from a marker in the spool folder, so it holds
   * across restarts.
   */
  update: boolean
}

type StudyState = {
  open: number
  expected: number | undefined
  aborted: boolean
  callingAet: string
  timer: NodeJS.Timeout | undefined
}

/** Marker file left in a study's spool folder once it has completed. */
export const COMPLETED_MARKER = '.completed'

/**
 * When a study received over any number of associations is complete — once. Each study has a
 * count of the associations now sending it; when the last one ends, the study completes at once
 * if every announced instance is there, else after a quiet period (`quietMs`, or `incompleteMs`
 * when it is short of its count or a sender aborted). An instance or association that comes in
 * the meantime cancels the wait. The spool folder is the record of which files arrived.
 *
 * @param options - the spool folder, the two waits, and what to call on completion.
 * @returns `opened`, `instance`, `ended` (per association and study), `close`.
 * @example
 * ```ts
 * const completion = createStudyCompletion({ spoolDir, quietMs: 10_000, incompleteMs: 300_000, onComplete })
 * completion.opened(study, 'MODALITY'); completion.instance(study, 3); completion.ended(study, true)
 * ```
 */
export function createStudyCompletion(options: {
  spoolDir: string
  quietMs: number
  incompleteMs: number
  onComplete: (study: CompletedStudy) => void
}) {
  const studies = new Map<string, StudyState>()
  const spooled = (study: string) => {
    const dir = join(options.spoolDir, study)
    const names = existsSync(dir) ? readdirSync(dir) : [] // a consumer may have cleared it
    return names
      .filter((f) => f.endsWith('.dcm'))
      .sort()
      .map((f) => join(dir, f))
  }
  const complete = (study: string, reason: CompletedStudy['reason']) => {
    const state = studies.get(study)
    if (!state || state.open > 0) return
    clearTimeout(state.timer)
    studies.delete(study)
    const marker = join(options.spoolDir, study, COMPLETED_MARKER)
    const update = existsSync(marker)
    if (existsSync(join(options.spoolDir, study))) writeFileSync(marker, '')
    options.onComplete({
      studyInstanceUid: study,
      files: spooled(study),
      callingAet: state.callingAet,
      reason,
      ...(state.expected ? { expectedInstances: state.expected } : {}),
      update,
    })
  }
  const settle = (study: string, state: StudyState) => {
    clearTimeout(state.timer)
    state.timer = undefined
    if (state.open > 0) return
    if (state.expected && spooled(study).length >= state.expected) return complete(study, 'count')
    const short = Boolean(state.expected) || state.aborted
    state.timer = setTimeout(
      () => complete(study, short ? 'timeout' : 'quiet'),
      short ? options.incompleteMs : options.quietMs,
    )
  }
  const stateOf = (study: string, callingAet: string) => {
    let state = studies.get(study)
    if (!state) {
      state = { open: 0, expected: undefined, aborted: false, callingAet, timer: undefined }
      studies.set(study, state)
    }
    return state
  }
  return {
    /** An association began sending `study` (its first instance of the study). */
    opened(study: string, callingAet: string) {
      const state = stateOf(study, callingAet)
      state.open++
      state.callingAet = callingAet
      clearTimeout(state.timer)
    },
    /** An instance of `study` was spooled, announcing `expected` instances (or not). */
    instance(study: string, expected: number | undefined) {
      const state = studies.get(study)
      if (state && expected) state.expected = Math.max(expected, state.expected ?? 0)
    },
    /** An association that was sending `study` ended: released, or aborted / dropped. */
    ended(study: string, released: boolean) {
      const state = studies.get(study)
      if (!state) return
      state.open = Math.max(0, state.open - 1)
      if (!released) state.aborted = true
      settle(study, state)
    },
    /** Stops every wait (the server is closing). */
    close() {
      for (const state of studies.values()) clearTimeout(state.timer)
      studies.clear()
    },
  }
}
