import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { expect, test } from 'vitest'

// Layers point one way: core ← payfi ← compute, tokenize ← connectors ← cli, examples.
// (The simulator is built on core; @btt/testing is test infrastructure any package may use.)
const allowed: Record<string, readonly string[]> = {
  core: [],
  simulator: ['core'],
  payfi: ['core'],
  compute: ['core', 'payfi'],
  tokenize: ['core', 'payfi'],
  connectors: ['core', 'payfi', 'compute', 'tokenize'],
  cli: ['core', 'payfi', 'compute', 'tokenize', 'connectors', 'simulator'],
  testing: [],
  // private: checks the published packages' packed and built output
  packaging: ['core', 'payfi', 'compute', 'tokenize', 'connectors', 'simulator', 'cli'],
}

const root = resolve(new URL('.', import.meta.url).pathname, '../../..')
const projects = [
  ...readdirSync(join(root, 'packages')).map((name) => ({ kind: 'package', name })),
  ...readdirSync(join(root, 'examples')).map((name) => ({ kind: 'example', name })),
].filter(({ kind, name }) => statSync(join(root, `${kind}s`, name)).isDirectory())

function sources(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter(
      (f) => /\.(ts|mts|mjs|js)$/.test(f) && !f.includes('node_modules') && !f.startsWith('dist'),
    )
    .map((f) => join(dir, f))
}

const specifiers = (text: string) =>
  [
    ...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\/\/\/\s*<reference\s+path=['"]([^'"]+)['"]/g),
  ].map((m) => m[1]!)

test('no file imports another package by a relative path (only through its exports)', () => {
  const offences: string[] = []
  for (const { kind, name } of projects) {
    const dir = join(root, `${kind}s`, name)
    for (const file of sources(dir)) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue
        const target = resolve(dirname(file), spec)
        const into = relative(root, target)
        // a specifier inside generated code (e.g. a bundler plugin's module text) names no file here
        const exists = [target, target.replace(/\.js$/, '.ts'), `${target}.ts`].some(existsSync)
        if (exists && relative(dir, target).startsWith('..') && /^(packages|examples)\//.test(into))
          offences.push(`${relative(root, file)} → ${spec}`)
      }
    }
  }
  expect(offences).toEqual([])
})

test('packages import only the layers below them, and declare what they import', () => {
  const offences: string[] = []
  for (const { kind, name } of projects) {
    const dir = join(root, `${kind}s`, name)
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const declared = new Set(
      Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
        .filter((d) => d.startsWith('@btt/'))
        .map((d) => d.slice(5)),
    )
    const runtime = Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@btt/'))
    const may = kind === 'example' ? Object.keys(allowed) : allowed[name]
    if (!may) {
      offences.push(`packages/${name} has no place in the layer table of this test`)
      continue
    }
    for (const dep of runtime)
      if (!may.includes(dep.slice(5)) && dep !== '@btt/testing')
        offences.push(`${kind}s/${name} depends on ${dep}, a layer above it`)
    for (const file of sources(dir)) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const m = /^@btt\/([a-z-]+)/.exec(spec)
        if (!m || m[1] === name) continue
        const dep = m[1]!
        if (dep !== 'testing' && !may.includes(dep))
          offences.push(`${relative(root, file)} imports @btt/${dep}, a layer above it`)
        if (!declared.has(dep))
          offences.push(`${relative(root, file)} imports @btt/${dep}, not in its package.json`)
      }
    }
  }
  expect(offences).toEqual([])
})
