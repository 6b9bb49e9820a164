import { CompiledQuery, type Compilable } from 'kysely';
import type { Tx } from './db.js';

/**
 * Hot-path queries compiled once per dialect. Kysely rebuilds and recompiles a query on every
 * call (≈ 20 % of a GET's CPU for a join with aliased columns); a hot query is written with the
 * builder as usual, compiled the first time with marker parameters, and afterwards only its SQL
 * text is reused with fresh parameter values. The markers prove the parameter order at compile time.
 */
export class HotQuery<Row> {
  private readonly sql = new Map<string, string>();

  constructor(
    private readonly name: string,
    private readonly build: (tx: Tx, ...markers: string[]) => Compilable<Row>,
    private readonly arity: number,
  ) {}

  async execute(tx: Tx, ...params: unknown[]): Promise<Row[]> {
    let sql = this.sql.get(tx.dialect);
    if (sql === undefined) {
      const markers = Array.from({ length: this.arity }, (_, i) => `\u0000hot-param-${i}`);
      const compiled = this.build(tx, ...markers).compile();
      if (compiled.parameters.length !== this.arity || compiled.parameters.some((p, i) => p !== markers[i])) {
        throw new Error(
          `HotQuery ${this.name}: parameters must be exactly the ${this.arity} markers, in order`,
        );
      }
      sql = compiled.sql;
      this.sql.set(tx.dialect, sql);
    }
    const result = await tx.q.executeQuery<Row>(CompiledQuery.raw(sql, params));
    return result.rows;
  }
}
