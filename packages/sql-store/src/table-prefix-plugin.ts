import {
  IdentifierNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type TableNode,
  type UnknownRow,
} from 'kysely';

/** Table prefixes become part of SQL identifiers, so only plain identifier characters are allowed. */
const PREFIX_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$|^$/;

/** Whether `prefix` is usable as a table prefix (letters, digits, underscore; may be empty). */
export function isValidTablePrefix(prefix: string): boolean {
  return PREFIX_PATTERN.test(prefix) && prefix.length <= 32;
}

class TablePrefixTransformer extends OperationNodeTransformer {
  readonly #prefix: string;
  constructor(prefix: string) {
    super();
    this.#prefix = prefix;
  }
  protected override transformTable(node: TableNode, queryId?: QueryId): TableNode {
    const transformed = super.transformTable(node, queryId);
    const { identifier } = transformed.table;
    return {
      ...transformed,
      table: { ...transformed.table, identifier: IdentifierNode.create(this.#prefix + identifier.name) },
    };
  }
}

/**
 * Adds a prefix to every table name in every query, so queries are written against the logical names of
 * `AuthDatabase` and several stores (or other apps) can share one database or schema.
 *
 * The store's own queries never alias tables: an alias would be prefixed as well.
 *
 * @example
 * ```ts
 * const prefixed = db.withPlugin(new TablePrefixPlugin('auth_')); // `tokens` -> `auth_tokens`
 * ```
 */
export class TablePrefixPlugin implements KyselyPlugin {
  readonly #transformer: TablePrefixTransformer;
  constructor(prefix: string) {
    this.#transformer = new TablePrefixTransformer(prefix);
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
