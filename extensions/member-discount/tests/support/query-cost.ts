// Shopify's published limits on a Function's input query
// (shopify.dev/docs/api/functions/latest#input-query-limits):
//
// - at most 3000 bytes, comments excluded;
// - list arguments and list variables of at most 100 elements;
// - a calculated cost of at most 30, where
//     __typename                                        0
//     any field that returns a Metafield                3
//     any field on a Metafield                          0
//     the metaobject field (metaobject(handle:|id:))    1
//     field(key:) on a Metaobject                       3
//     hasAnyTag, hasTags                                3
//     any field on a HasTagResponse                     0
//     inAnyCollection, inCollections                    3
//     any field on a CollectionMembership               0
//     other leaf nodes (scalars and enums)              1
//   and nothing else costs anything: objects and lists are free, a list's
//   cost is not multiplied by its length, and a fragment costs what it selects
//   each time it is spread. The table says nothing of the fields of the
//   MetaobjectField that field(key:) returns; they are counted as leaves (1),
//   the higher reading.
import {
  getNamedType,
  isLeafType,
  Kind,
  Lexer,
  Source,
  TokenKind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

export const MAX_INPUT_QUERY_COST = 30;
export const MAX_INPUT_QUERY_BYTES = 3000;
export const MAX_LIST_ELEMENTS = 100;

const FREE_CHILDREN = new Set(["Metafield", "HasTagResponse", "CollectionMembership"]);
const TAG_AND_COLLECTION_FIELDS = new Set(["hasAnyTag", "hasTags", "inAnyCollection", "inCollections"]);

export interface CostItem {
  path: string;
  cost: number;
}

/** The query's calculated cost by Shopify's table, with what each costed field contributed. */
export function inputQueryCost(schema: GraphQLSchema, document: DocumentNode): { cost: number; items: CostItem[] } {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) throw new Error("an input query has exactly one operation");
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const items: CostItem[] = [];
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, path: string) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parent;
        walk(selection.selectionSet, type, path);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) throw new Error(`unknown fragment ${selection.name.value}`);
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType, path);
        continue;
      }
      const name = selection.name.value;
      const fieldPath = `${path}.${selection.alias?.value ?? name}`;
      if (name === "__typename") continue;
      const field = "getFields" in parent ? parent.getFields()[name] : undefined;
      if (!field) throw new Error(`${fieldPath}: no field ${name} on ${parent.name}`);
      const type = getNamedType(field.type);

      let cost = 0;
      if (FREE_CHILDREN.has(parent.name)) cost = 0;
      else if (type.name === "Metafield") cost = 3;
      else if (TAG_AND_COLLECTION_FIELDS.has(name)) cost = 3;
      else if (parent.name === "Metaobject" && name === "field") cost = 3;
      else if (name === "metaobject") cost = 1;
      else if (isLeafType(type)) cost = 1;
      if (cost > 0) items.push({ path: fieldPath, cost });

      if (selection.selectionSet) walk(selection.selectionSet, type as GraphQLCompositeType, fieldPath);
    }
  };
  walk(operations[0].selectionSet, schema.getQueryType()!, "");
  return { cost: items.reduce((sum, item) => sum + item.cost, 0), items };
}

/** The query's size as Shopify counts it: its bytes without comments. */
export function inputQueryBytes(source: string): number {
  const lexer = new Lexer(new Source(source));
  while (lexer.advance().kind !== TokenKind.EOF);
  let bytes = Buffer.byteLength(source);
  // The lexer links comment tokens into its token list though advance() skips them.
  for (let token = lexer.token; token; token = token.prev!) {
    if (token.kind === TokenKind.COMMENT) bytes -= Buffer.byteLength(source.slice(token.start, token.end));
    if (token.kind === TokenKind.SOF) break;
  }
  return bytes;
}

/** Every list written into the query itself (variables' lists come from the configuration metafield). */
export function literalListLengths(document: DocumentNode): number[] {
  const lengths: number[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const record = node as { kind?: string; values?: unknown[] };
    if (record.kind === Kind.LIST && record.values) lengths.push(record.values.length);
    for (const [key, value] of Object.entries(record)) if (key !== "loc") visit(value);
  };
  visit(document);
  return lengths;
}

/** Throws, saying what costs what, when the query breaks one of Shopify's limits. */
export function assertWithinInputQueryLimits(schema: GraphQLSchema, document: DocumentNode, source: string): void {
  const { cost, items } = inputQueryCost(schema, document);
  const problems: string[] = [];
  if (cost > MAX_INPUT_QUERY_COST) problems.push(`cost ${cost} > ${MAX_INPUT_QUERY_COST}: ${items.map((item) => `${item.path} ${item.cost}`).join(", ")}`);
  const bytes = inputQueryBytes(source);
  if (bytes > MAX_INPUT_QUERY_BYTES) problems.push(`${bytes} bytes without comments > ${MAX_INPUT_QUERY_BYTES}`);
  const longest = Math.max(0, ...literalListLengths(document));
  if (longest > MAX_LIST_ELEMENTS) problems.push(`a list argument of ${longest} elements > ${MAX_LIST_ELEMENTS}`);
  if (problems.length > 0) throw new Error(`input query over Shopify's limits: ${problems.join("; ")}`);
}
