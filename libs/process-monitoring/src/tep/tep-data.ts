import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Tennessee Eastman data of `../shared/data/tep` (README there); `REFLUX_TEP_DIR` overrides the folder. */
export const TEP_DIR = process.env['REFLUX_TEP_DIR'] ?? resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'data', 'tep');

/** XMEAS 1–41 then XMV 1–11, the 52 columns of every file. */
export const TEP_VARIABLES = [...Array.from({ length: 41 }, (_, i) => `XMEAS${i + 1}`), ...Array.from({ length: 11 }, (_, i) => `XMV${i + 1}`)];

/** The first faulty row (1-based) of every `dXX_te.dat`. */
export const TEP_FAULT_START_ROW = 161;

function parse(file: string): number[][] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
}

/** Rows of a TEP file, one per sample (d00.dat, stored transposed, is transposed back). */
export function readTep(name: string): number[][] {
  const file = join(TEP_DIR, name);
  if (!existsSync(file)) {
    throw new Error(`Tennessee Eastman data missing: ${file} not found. These tests need the shared data set (../shared/data/tep beside the repository, or REFLUX_TEP_DIR).`);
  }
  const rows = parse(file);
  if (name !== 'd00.dat') return rows;
  return rows[0]!.map((_, t) => rows.map((r) => r[t]!));
}
