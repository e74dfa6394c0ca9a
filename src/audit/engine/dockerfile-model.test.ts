import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerfileUser } from '../checks/shared/dockerfile-user-ids.ts';
import { finalImageInstructions, imageRepository } from './dockerfile-model.ts';
import { parseDockerfile } from './dockerfile-parse.ts';

const text = `# berth:image registry.example.com/app
FROM python:3.12 AS base
RUN groupadd -g 1001 app && useradd -u 1001 -g app app
USER app

FROM golang:1.23 AS tools
USER root

FROM base
# berth:ignore dockerfile-healthcheck compose too
HEALTHCHECK CMD true
CMD ["sh", "-c", \\
     "exec app"]
`;

test('dockerfile model: stages, inherited USER, exec form across lines, comments', () => {
  const model = parseDockerfile(text, 'Dockerfile');
  assert.deepEqual(
    model.stages.map((s) => [s.name, s.from, s.line]),
    [
      ['base', 'python:3.12', 2],
      ['tools', 'golang:1.23', 6],
      [undefined, 'base', 9],
    ],
  );
  assert.deepEqual(model.images, ['registry.example.com/app']);
  assert.deepEqual(model.ignores, [
    { check: 'dockerfile-healthcheck', reason: 'compose too', line: 11, commentLine: 10 },
  ]);
  const instructions = finalImageInstructions(model);
  assert.deepEqual(
    instructions.map((i) => i.keyword),
    ['RUN', 'USER', 'HEALTHCHECK', 'CMD'],
    'the unrelated tools stage is not inherited',
  );
  assert.deepEqual(instructions.at(-1)?.exec, ['sh', '-c', 'exec app']);
  assert.deepEqual(dockerfileUser(instructions), {
    raw: 'app',
    line: 4,
    name: 'app',
    uid: 1001,
    gid: 1001,
  });
});

test('image repositories drop tags and digests, keep registry ports', () => {
  assert.equal(imageRepository('reg:5000/a/b:1.2@sha256:abc'), 'reg:5000/a/b');
  assert.equal(imageRepository('reg:5000/a/b'), 'reg:5000/a/b');
  assert.equal(imageRepository('nginx'), 'nginx');
});
