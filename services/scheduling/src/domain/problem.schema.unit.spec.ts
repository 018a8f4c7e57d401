import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { problemSchema } from './problem.schema';

describe('problem document JSON Schema', () => {
  it('is the one printed in the service README', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const printed = /<summary>problem document schema<\/summary>\s*```json\n([\s\S]*?)\n```/.exec(readme);
    expect(printed).not.toBeNull();
    expect(JSON.parse(printed![1])).toEqual(z.toJSONSchema(problemSchema, { io: 'input' }));
  });
});
