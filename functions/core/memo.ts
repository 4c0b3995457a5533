/**
 * Values derived once per scope (one account-region of one scan) and shared by the checks
 * that need them, e.g. the analysis of a policy that several endpoints carry. The engine
 * creates one memo per scope and drops it with the scope: no cache outlives a scan.
 */
export class Memo {
  private readonly tables = new Map<string, Map<unknown, unknown>>();

  /** The value under `key` in `table`, computed by `compute` the first time it is asked for. */
  get<T>(table: string, key: unknown, compute: () => T): T {
    let entries = this.tables.get(table);
    if (!entries) this.tables.set(table, (entries = new Map()));
    if (entries.has(key)) return entries.get(key) as T;
    const value = compute();
    entries.set(key, value);
    return value;
  }
}
