import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import semver from 'semver';

// package.json's `engines` says which Node teamgraph supports; it must be the Node this suite runs on,
// and every installed package must support all of it, or `npm ci` warns and a user on the edge of the
// range runs code its dependencies never promised to run on (decision 143).
describe('engines', () => {
  const ours = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node;

  it('holds the Node running this suite', () => {
    assert.ok(semver.satisfies(process.versions.node, ours), `Node ${process.versions.node} is outside ${ours}`);
  });

  it('is within what every package in the lock file supports', () => {
    const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { engines?: { node?: string } }> };
    const narrower = Object.entries(lock.packages).flatMap(([name, entry]) => {
      const theirs = entry.engines?.node;
      return name === '' || theirs === undefined || semver.subset(ours, theirs) ? [] : [`${name} needs ${theirs}`];
    });
    assert.ok(Object.keys(lock.packages).length > 100);
    assert.deepEqual(narrower, []);
  });
});
