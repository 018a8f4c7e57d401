import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..', '..');

describe('generated TypeScript types', () => {
  it('are up to date with every .proto file under proto/', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'proto-gen.mjs'), '--check'], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
