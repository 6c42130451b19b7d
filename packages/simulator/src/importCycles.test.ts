import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'

const here = import.meta.dirname

/** The relative imports (static, dynamic and re-exports, type-only included) of each source file. */
function importGraph(root: string): Map<string, string[]> {
  const files = (readdirSync(root, { recursive: true }) as string[]).filter(
    (f) => /\.(ts|mts|mjs)$/.test(f) && !/\.(test|bench)\.ts$/.test(f),
  )
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8')
    const targets = [
      ...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g),
    ].flatMap(([, spec]) => {
      const base = resolve(dirname(join(root, file)), spec!)
      const found = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts')].find(
        (p) => existsSync(p) && /\.(ts|mts|mjs)$/.test(p),
      )
      return found ? [relative(root, found)] : []
    })
    graph.set(file, targets)
  }
  return graph
}

/** Every cycle found by a depth-first walk, each as the list of files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (file: string) => {
    state.set(file, 'open')
    stack.push(file)
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of graph.keys()) if (!state.has(file)) visit(file)
  return found
}

describe('imports', () => {
  test('no import cycle among the simulator sources', () => {
    const graph = importGraph(here)
    expect(graph.size).toBeGreaterThan(20) // the walk found the sources
    expect(graph.get('simulate.ts')).toContain('simulation/drive.ts') // and their imports
    expect(cycles(graph).map((c) => c.join(' → '))).toEqual([])
  })

  test('the walk finds a cycle when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ])
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']])
  })
})
