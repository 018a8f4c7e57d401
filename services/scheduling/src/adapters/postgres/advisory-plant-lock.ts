import type { Pool } from 'pg';
import type { PlantLease, PlantLock } from '../../application/plant-lock.port';

/**
 * The per-plant optimisation lock as a PostgreSQL session advisory lock, held on a connection of
 * its own for the job's duration. A replica that dies loses its connection and with it the lock,
 * so a crash never leaves a plant locked.
 */
export class AdvisoryPlantLock implements PlantLock {
  constructor(private readonly pool: Pool) {}

  async tryAcquire(plantId: string): Promise<PlantLease | undefined> {
    const client = await this.pool.connect();
    const key = `reflux.scheduling:${plantId}`;
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [key]);
      if (!rows[0].locked) {
        client.release();
        return undefined;
      }
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        try {
          await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
          client.release();
        } catch (error) {
          // a broken connection ends the session, which releases the lock
          client.release(error as Error);
        }
      },
    };
  }
}
