/** Where command output goes: JSON for machines (--json), aligned text for people. */
export interface Output {
  readonly json: boolean;
  result(value: unknown, human: () => string): void;
  progress(line: string): void;
}

export function createOutput(json: boolean, quiet = false): Output {
  const interactive = process.stderr.isTTY === true;
  return {
    json,
    result(value, human) {
      process.stdout.write((json ? JSON.stringify(value, null, 2) : human()) + '\n');
    },
    progress(line) {
      if (quiet) return;
      process.stderr.write(interactive ? `\r\x1b[2K${line}` : `${line}\n`);
    },
  };
}

/** A plain text table, columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const text = [header, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = header.map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  return text.map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
