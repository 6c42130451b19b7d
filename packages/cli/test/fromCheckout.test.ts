import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, expect, test } from 'vitest'

const root = join(import.meta.dirname, '../../..')
const dir = mkdtempSync(join(tmpdir(), 'btt-cli-cwd-'))
const name = `rel-${process.pid}`
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(join(root, name), { recursive: true, force: true })
})

test("pnpm btt <relative path> resolves from the caller's folder (INIT_CWD), not the repository root", () => {
  // what pnpm does for `pnpm btt …` run in `dir`: the root script, in the root, INIT_CWD = dir
  const script = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.btt
  const stdout = execFileSync('sh', ['-c', `${script} demo-study ${name}`], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      INIT_CWD: dir,
      PATH: `${join(root, 'node_modules/.bin')}${delimiter}${process.env.PATH}`,
    },
  })
  expect(stdout).toContain(`wrote ${join(name, 'with-nodule.dcm')}`)
  expect(readdirSync(join(dir, name)).sort()).toEqual(['with-nodule.dcm', 'without-nodule.dcm'])
  expect(existsSync(join(root, name))).toBe(false)
})
