import type { Command } from 'commander';
import { Pool } from 'pg';
import { PostgresEventStore, type RecordedEvent } from '@reflux/event-store';

const EMBEDDED_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/reflux';

/**
 * `reflux events tail`: follows the event log (domain and integration events) live, from the end
 * or from a position, optionally one category (`--category ingestion-`). Reads the database the
 * services write to: DATABASE_URL, or the embedded default's.
 */
export function registerEventsCommands(program: Command): void {
  const events = program.command('events').description('the event log');
  events
    .command('tail')
    .description('print events as they are appended (Ctrl-C to stop)')
    .option('--category <prefix>', 'only streams with this prefix, e.g. "plant-model-"')
    .option('--types <list>', 'only these event types, comma-separated')
    .option('--from <position>', 'start after this global position ("start" for the beginning)', 'end')
    .option('--database <url>', 'PostgreSQL URL (default DATABASE_URL or the embedded default)')
    .option('--json', 'one JSON object per line')
    .action(async (o: { category?: string; types?: string; from: string; database?: string; json?: boolean }) => {
      const pool = new Pool({ connectionString: o.database ?? process.env['DATABASE_URL'] ?? EMBEDDED_DATABASE_URL, max: 2 });
      const store = new PostgresEventStore({ pool });
      const eventTypes = o.types ? o.types.split(',').map((s) => s.trim()) : undefined;
      let after = 0;
      if (o.from === 'end') {
        const last = await pool.query<{ p: string | null }>('SELECT max(global_position)::text AS p FROM reflux_events');
        after = Number(last.rows[0]?.p ?? 0);
      } else if (o.from !== 'start') {
        after = Number(o.from);
        if (!Number.isInteger(after) || after < 0) throw new Error(`--from: expected start, end or a position, got "${o.from}"`);
      }
      const print = (e: RecordedEvent) =>
        process.stdout.write(
          (o.json
            ? JSON.stringify(e)
            : `${e.recordedAt.toISOString()}  #${e.globalPosition}  ${e.streamId}@${e.streamVersion}  ${e.type}  ${JSON.stringify(e.data).slice(0, 160)}`) + '\n',
        );
      // An ephemeral subscription: the store's subscriptions never skip an event that commits
      // late (positions are not commit order); its checkpoint row is removed again on exit.
      const subscriptionId = `reflux-cli-tail-${process.pid}-${Date.now().toString(36)}`;
      const subscription = store.subscribe({ subscriptionId, category: o.category, eventTypes, batchSize: 500 }, async (batch) => {
        for (const e of batch) if (e.globalPosition > after) print(e);
      });
      await new Promise<void>((resolve) => process.once('SIGINT', resolve));
      await subscription.stop();
      await pool.query('DELETE FROM reflux_subscription_checkpoints WHERE subscription_id = $1', [subscriptionId]).catch(() => undefined);
      await store.close();
      await pool.end();
    });
}
