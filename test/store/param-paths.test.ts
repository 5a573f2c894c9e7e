import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

// prepare's names are paths the compiler checks (ParamPath, decision 115). The fixtures lie outside the
// project's tsconfig, since one of them must not compile; here they are compiled with its options.
const root = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string) => path.join(root, 'test/store/typecheck', name);
const valid = fixture('param-paths-valid.ts');
const misspelt = fixture('param-paths-misspelt.ts');

const config = ts.getParsedCommandLineOfConfigFile(
  path.join(root, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
  },
);
assert.ok(config !== undefined);
const program = ts.createProgram({ rootNames: [valid, misspelt], options: config.options });

/** Each error in `file`: its line's text and the compiler's message. */
function errorsIn(file: string): { line: string; message: string }[] {
  const source = program.getSourceFile(file);
  assert.ok(source !== undefined, `${file} is compiled`);
  return ts.getPreEmitDiagnostics(program, source).map((diagnostic) => {
    const { line } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return { line: source.text.split('\n')[line] ?? '', message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n') };
  });
}

describe('prepared parameter paths', () => {
  it('compile when each names a value in the parameters: keys, fields, array and tuple indexes', () => {
    assert.deepEqual(errorsIn(valid), []);
  });

  it('fail to compile when misspelt, stopping at an object, or indexing an array by a name', () => {
    const errors = errorsIn(misspelt);
    const refused = (program.getSourceFile(misspelt)?.text ?? '').split('\n').filter((line) => line.includes('// refused: '));
    assert.equal(refused.length, 4);
    assert.deepEqual(
      errors.map((error) => error.line),
      refused,
      'one error on each refused line, none elsewhere',
    );
    for (const { line, message } of errors) {
      const name = line.slice(line.indexOf('// refused: ') + '// refused: '.length);
      assert.match(message, new RegExp(`^Type '${name}' is not assignable to type `), message);
    }
  });
});
