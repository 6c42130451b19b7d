import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { checkHtml, checkMarkdown, externalProblem, markdownAnchors, slug } from './links.js'

const root = join(import.meta.dirname, '..', '..')
const temporary: string[] = []
const folder = (): string => {
  const path = mkdtempSync(join(tmpdir(), 'btt-docs-'))
  temporary.push(path)
  return path
}
afterAll(() => {
  for (const path of temporary) rmSync(path, { recursive: true, force: true })
})

describe('the link checker', () => {
  test('names a missing file, a missing anchor and a malformed URL, and passes good links', () => {
    const repo = folder()
    mkdirSync(join(repo, 'pkg'))
    writeFileSync(join(repo, 'pkg', 'README.md'), '# Pkg\n\n## Set-up (Node ≥ 20)\n\ntext\n')
    writeFileSync(join(repo, 'code.ts'), 'export {}\n')
    writeFileSync(
      join(repo, 'README.md'),
      [
        '# Top',
        '[ok](pkg/README.md#set-up-node--20) [ok](pkg) [ok](code.ts#L1) [ok](#top)',
        '[ok](https://example.org/a?b#c) ![ok](./code.ts)',
        '[file](pkg/GONE.md) [anchor](pkg/README.md#install) [url](http://exa%mple.org) [self](#nope)',
        '```md',
        '[ignored in code](nowhere.md)',
        '```',
        'and `[ignored](nowhere.md)` too',
      ].join('\n'),
    )
    expect(checkMarkdown(repo)).toEqual([
      { file: 'README.md', link: 'pkg/GONE.md', reason: 'no such file' },
      { file: 'README.md', link: 'pkg/README.md#install', reason: 'no anchor #install' },
      { file: 'README.md', link: 'http://exa%mple.org', reason: 'not a valid URL' },
      { file: 'README.md', link: '#nope', reason: 'no anchor #nope' },
    ])
  })

  test('checks HTML pages against ids in the target page', () => {
    const site = folder()
    writeFileSync(
      join(site, 'a.html'),
      '<a href="b.html#x">b</a> <a href="b.html#y">b</a> <a href="">me</a>',
    )
    writeFileSync(join(site, 'b.html'), '<h2 id="x">x</h2>')
    expect(checkHtml(site)).toEqual([{ file: 'a.html', link: 'b.html#y', reason: 'no anchor #y' }])
  })

  test('makes anchors as GitHub does', () => {
    expect(slug('`@btt/cli` — the `btt` command')).toBe('bttcli--the-btt-command')
    expect([...markdownAnchors('# A\n## A\n```\n# not a heading\n```\n')]).toEqual(['a', 'a-1'])
    expect(externalProblem('ftp://example.org')).toBe('unexpected ftp:')
    expect(externalProblem('mailto:someone@example.org')).toBeUndefined()
  })
})

describe('the documentation', () => {
  test('every markdown link in the repository resolves (files, folders, anchors; URLs well formed)', () => {
    expect(checkMarkdown(root, ['docs/api'])).toEqual([])
  })

  test('the API reference builds without a TypeDoc warning and every link in it resolves', () => {
    const out = folder()
    const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc')
    // typedoc.json: validation (invalidLink, notExported, …) with treatWarningsAsErrors
    const run = spawnSync(process.execPath, [typedoc, '--out', out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    })
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\[(warning|error)\]/)
    expect(run.status).toBe(0)
    expect(existsSync(join(out, 'index.html'))).toBe(true)
    expect(checkHtml(out)).toEqual([])
  }, 240_000)
})
