// Bulk queries: `bulkOperationRunQuery` checks the inner query as Shopify does
// (valid against the schema, one top-level connection, at most five connections
// nested at most two deep, no `node`/`nodes`), runs it over every record at
// once, and writes the JSONL result Shopify would: one object per line, a
// nested connection's nodes on lines of their own carrying `__parentId`.
// `groupObjects: true` puts them directly after their parent; otherwise (the
// default since 2026-01) they come after all parents, which a reader that
// assumes grouping gets wrong.
//
// A run completes `runMs` of simulated time after it starts; the result is a
// snapshot taken at the start. Tests fail or expire a run through the state.
import {
  execute,
  getNamedType,
  getOperationAST,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from "graphql";
import type { SimBulkOperation } from "../state";
import { gid, parseGid, type FieldResolver, type ResolverContext } from "./common";
import { unboundedConnections } from "./connection";

/** Shopify allows five bulk query runs at a time per shop from 2026-01 on. */
const MAX_RUNNING = 5;
const MAX_CONNECTIONS = 5;
const MAX_NESTING = 2;

export interface BulkRuntime {
  schema: GraphQLSchema;
  /** The root the inner query runs against (the simulator's query resolvers). */
  queryRoot: Record<string, FieldResolver>;
  /** Where results are served, e.g. http://127.0.0.1:1234 */
  baseUrl(): string;
  /** Simulated milliseconds a run takes. */
  runMs: number;
  /** The resolver that fails loudly on a field the simulator lacks. */
  fieldResolver: GraphQLFieldResolver<unknown, ResolverContext>;
}

const isConnection = (typeName: string) => typeName.endsWith("Connection");

/** Shopify's reasons to refuse a bulk query, or none. */
function checkQuery(schema: GraphQLSchema, document: DocumentNode): string | null {
  const errors = validate(schema, document);
  if (errors.length > 0) return errors[0].message;
  const operation = getOperationAST(document);
  if (!operation || operation.operation !== "query") return "Bulk queries must be a single query operation.";
  const roots = operation.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD);
  if (roots.length !== 1) return "Bulk queries must select exactly one top-level field.";
  if (["node", "nodes"].includes(roots[0].name.value)) return "The top-level `node` and `nodes` fields can't be used in bulk queries.";

  const typeInfo = new TypeInfo(schema);
  let connections = 0;
  let depth = 0;
  let deepest = 0;
  let problem: string | null = null;
  const parentSelectsId: boolean[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          const type = typeInfo.getType();
          if (!type || !isConnection(getNamedType(type).name)) return;
          connections++;
          depth++;
          deepest = Math.max(deepest, depth);
          // A nested connection's lines name their parent, so the parent must select its id.
          if (depth > 1 && parentSelectsId.at(-1) === false) problem ??= `The parent of the nested connection '${node.name.value}' must select the 'id' field.`;
          const nodeSelection = node.selectionSet?.selections
            .flatMap((selection) => (selection.kind === Kind.FIELD && ["edges", "nodes"].includes(selection.name.value) ? [selection] : []))
            .map((selection) => (selection.name.value === "edges" ? selection.selectionSet?.selections.find((inner) => inner.kind === Kind.FIELD && inner.name.value === "node") : selection))[0];
          const idSelected = nodeSelection?.kind === Kind.FIELD && (nodeSelection.selectionSet?.selections.some((field) => field.kind === Kind.FIELD && field.name.value === "id") ?? false);
          parentSelectsId.push(idSelected);
        },
        leave() {
          const type = typeInfo.getType();
          if (!type || !isConnection(getNamedType(type).name)) return;
          depth--;
          parentSelectsId.pop();
        },
      },
    }),
  );
  if (connections === 0) return "Bulk queries must contain at least one connection.";
  if (connections > MAX_CONNECTIONS) return `Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`;
  if (deepest > MAX_NESTING) return `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_NESTING}.`;
  return problem;
}

interface Line {
  object: Record<string, unknown>;
  children: Line[];
}

/** A connection's nodes, from `edges { node }` or `nodes`. */
function nodesOf(value: unknown): Record<string, unknown>[] | null {
  if (typeof value !== "object" || value === null) return null;
  const connection = value as { edges?: Array<{ node: Record<string, unknown> }>; nodes?: Record<string, unknown>[] };
  if (Array.isArray(connection.edges)) return connection.edges.map((edge) => edge.node);
  if (Array.isArray(connection.nodes)) return connection.nodes;
  return null;
}

/** Splits a node into its own line and the lines of its nested connections. */
function toLine(node: Record<string, unknown>, parentId: string | null): Line {
  const object: Record<string, unknown> = {};
  const children: Line[] = [];
  for (const [field, value] of Object.entries(node)) {
    const nested = nodesOf(value);
    if (nested) children.push(...nested.map((child) => toLine(child, node.id as string)));
    else object[field] = value;
  }
  if (parentId) object.__parentId = parentId;
  return { object, children };
}

function* grouped(lines: Line[]): Generator<Record<string, unknown>> {
  for (const line of lines) {
    yield line.object;
    yield* grouped(line.children);
  }
}

function* ungrouped(lines: Line[]): Generator<Record<string, unknown>> {
  for (const line of lines) yield line.object;
  const children = lines.flatMap((line) => line.children);
  if (children.length > 0) yield* ungrouped(children);
}

function runQuery(runtime: BulkRuntime, document: DocumentNode, groupObjects: boolean, context: ResolverContext) {
  const result = unboundedConnections(() => execute({ schema: runtime.schema, document, rootValue: runtime.queryRoot, contextValue: context, fieldResolver: runtime.fieldResolver })) as ExecutionResult;
  if (result.errors) return { error: result.errors[0].message } as const;
  const roots = nodesOf(Object.values(result.data ?? {})[0]) ?? [];
  const lines = roots.map((root) => toLine(root, null));
  const objects = [...(groupObjects ? grouped(lines) : ungrouped(lines))];
  return { jsonl: objects.map((object) => `${JSON.stringify(object)}\n`).join(""), objectCount: objects.length, rootObjectCount: roots.length } as const;
}

/** A run's status as of the simulated clock: it completes `runMs` after it started. */
function advance(operation: SimBulkOperation, { state }: ResolverContext, runtime: BulkRuntime) {
  if (operation.status !== "CREATED" && operation.status !== "RUNNING") return;
  const started = Date.parse(operation.createdAt);
  if (state.clock() >= started + runtime.runMs) {
    operation.status = "COMPLETED";
    operation.completedAt = new Date(started + runtime.runMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  } else if (state.clock() > started) operation.status = "RUNNING";
}

function operationObject(operation: SimBulkOperation, context: ResolverContext, runtime: BulkRuntime) {
  advance(operation, context, runtime);
  const done = operation.status === "COMPLETED";
  const url = done && operation.result !== null ? `${runtime.baseUrl()}/bulk/${context.shop.domain}/${operation.id}.jsonl` : null;
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", operation.id),
    type: "QUERY",
    status: operation.status,
    errorCode: operation.errorCode,
    query: operation.query,
    createdAt: operation.createdAt,
    completedAt: operation.completedAt,
    objectCount: String(done ? operation.objectCount : 0),
    rootObjectCount: String(done ? operation.rootObjectCount : 0),
    fileSize: url ? String(Buffer.byteLength(operation.result!)) : null,
    url,
    partialDataUrl: null,
  };
}

export function bulkOperationResolvers(runtime: BulkRuntime) {
  const queries: Record<string, FieldResolver> = {
    bulkOperation: ({ id }: { id: string }, context) => {
      const { type, id: operationId } = parseGid(id);
      const operation = type === "BulkOperation" ? context.shop.bulkOperations.get(operationId) : undefined;
      return operation ? operationObject(operation, context, runtime) : null;
    },
    currentBulkOperation: (_args, context) => {
      const latest = [...context.shop.bulkOperations.values()].at(-1);
      return latest ? operationObject(latest, context, runtime) : null;
    },
  };

  const mutations: Record<string, FieldResolver> = {
    bulkOperationRunQuery: ({ query, groupObjects }: { query: string; groupObjects: boolean }, context) => {
      const refuse = (message: string, code: "INVALID" | "LIMIT_REACHED") => ({ bulkOperation: null, userErrors: [{ field: ["query"], message, code }] });
      let document: DocumentNode;
      try {
        document = parse(query);
      } catch (error) {
        return refuse(`Invalid bulk query: ${(error as Error).message}`, "INVALID");
      }
      const problem = checkQuery(runtime.schema, document);
      if (problem) return refuse(`Invalid bulk query: ${problem}`, "INVALID");
      const operations = [...context.shop.bulkOperations.values()];
      operations.forEach((operation) => advance(operation, context, runtime));
      if (operations.filter((operation) => operation.status === "CREATED" || operation.status === "RUNNING").length >= MAX_RUNNING) {
        return refuse(`A maximum of ${MAX_RUNNING} bulk query operations can run at the same time.`, "LIMIT_REACHED");
      }
      const ran = runQuery(runtime, document, groupObjects, context);
      const operation: SimBulkOperation = {
        id: context.state.newId(),
        query,
        groupObjects,
        status: "CREATED",
        errorCode: null,
        createdAt: context.state.now(),
        completedAt: null,
        result: "error" in ran || ran.objectCount === 0 ? null : ran.jsonl,
        objectCount: "error" in ran ? 0 : ran.objectCount,
        rootObjectCount: "error" in ran ? 0 : ran.rootObjectCount,
        expired: false,
      };
      if ("error" in ran) Object.assign(operation, { status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR" });
      context.shop.bulkOperations.set(operation.id, operation);
      return { bulkOperation: operationObject(operation, context, runtime), userErrors: [] };
    },
  };
  return { queries, mutations };
}
