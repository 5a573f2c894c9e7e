import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

// The README's embedding example is run as written: copied out of the README into a file inside the
// project (where `import 'teamgraph'` resolves to this package, as it would in a user's project that
// installed it) and run with `node --test`.
describe('README: Embed it in a test suite', () => {
  it('runs as written and passes', async () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Embed it in a test suite'));
    const example = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(example !== undefined && example.includes("from 'teamgraph'"), 'the section holds a js example importing teamgraph');
    fs.mkdirSync('.teamgraph', { recursive: true });
    const dir = fs.mkdtempSync(path.join('.teamgraph', 'readme-'));
    const file = path.join(dir, 'embedding.test.mjs');
    fs.writeFileSync(file, example);
    try {
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        // Without the parent runner's context, the child runs its file as a test run of its own.
        const { NODE_TEST_CONTEXT: _, ...env } = process.env;
        const child = spawn(process.execPath, ['--test', file], { stdio: ['ignore', 'pipe', 'pipe'], env });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('close', (exitCode) => resolve({ code: exitCode, output }));
      });
      assert.equal(code, 0, output);
      assert.match(output, /# pass 1\n/);
      assert.match(output, /# fail 0\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
