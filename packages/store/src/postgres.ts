import pg from 'pg';
import {
  Kysely,
  OperationNodeTransformer,
  PostgresDialect,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely';
import type { Database } from './schema.ts';
import { KyselyStore } from './kysely-store.ts';

/**
 * pg hands `bigint` (int8) values — counts, sizes, pull counts — back as strings so that
 * no precision is lost. Berth's are far below 2^53, and the store's rows are typed as
 * numbers, so this pool reads them as numbers like SQLite does (the store still wraps
 * them in Number()). Only this pool is affected, not pg's global parsers.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

const withoutNul = (v: unknown) => (typeof v === 'string' && v.includes('\0') ? v.replaceAll('\0', '\uFFFD') : v);

class NulTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value = withoutNul(node.value);
    return value === node.value ? node : { ...node, value };
  }
  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return node.values.some((v) => withoutNul(v) !== v) ? { ...node, values: node.values.map(withoutNul) } : node;
  }
}

/**
 * PostgreSQL text cannot hold U+0000 (SQLite's can): a parameter with one fails the whole
 * query — a login with such a username would be a 500. This plugin sends U+FFFD in its
 * place, so lookups find nothing (no name with U+0000 is ever written: names are checked at
 * the edge) and free text (a description, a manifest's artifactType) is stored rather than
 * refused.
 */
class NoNulPlugin implements KyselyPlugin {
  readonly #transformer = new NulTransformer();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * Opens a PostgreSQL store at `url` (`postgres://user:password@host:port/database`).
 * Connections are pooled and opened on first use; call `migrate()` before anything else.
 */
export function createPostgresStore(url: string, opts: { maxConnections?: number } = {}): KyselyStore {
  // JIT compilation costs more than Berth's short list queries take (measured: 8.6 ms of
  // JIT in a 13 ms artifacts page), so it is off for Berth's connections.
  const pool = new pg.Pool({ connectionString: url, max: opts.maxConnections ?? 10, types, options: '-c jit=off' });
  // A pooled connection that breaks while idle (a server restart, a network cut) is
  // dropped by the pool and the next query opens a new one; without a listener the
  // 'error' event would end the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new NoNulPlugin()] });
  return new KyselyStore(db, 'postgres');
}
