// Shopify's calculated query cost and leaky bucket
// (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits):
// scalars and enums cost 0, objects 1, a connection 2 plus its page size times
// the cost of one item (edges/node and nodes wrappers are free), a mutation
// field 10; an interface or union costs its costliest type-specific selection.
// The requested cost is charged before execution; the difference to the actual
// cost (what the pages really held) is refunded afterwards.
import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** Shopify rejects any single query above this cost. */
export const MAX_QUERY_COST = 1000;
const MUTATION_FIELD_COST = 10;

const hasFields = (type: GraphQLNamedType, ...names: string[]) => isObjectType(type) && names.every((name) => name in type.getFields());
const isConnection = (type: GraphQLNamedType) => type.name.endsWith("Connection") && hasFields(type, "edges", "pageInfo");
const isEdge = (type: GraphQLNamedType) => type.name.endsWith("Edge") && hasFields(type, "node", "cursor");

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function requestedQueryCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>): number {
  const walk = { schema, fragments, variables };
  const root = operation.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
  return selectionSetCost(walk, root, operation.selectionSet, operation.operation === "mutation" ? MUTATION_FIELD_COST : 1);
}

/**
 * Fields that apply whatever the runtime type, plus the costliest of the
 * branches that apply to one object type only.
 */
function selectionSetCost(walk: Walk, parent: GraphQLCompositeType, selectionSet: SelectionSetNode, objectCost = 1): number {
  let shared = 0;
  const branches = new Map<string, number>();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      shared += fieldCost(walk, parent, selection, objectCost);
      continue;
    }
    const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? walk.fragments[selection.name.value] : selection;
    const condition = fragment.typeCondition ? (walk.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType) : parent;
    const cost = selectionSetCost(walk, condition, fragment.selectionSet, objectCost);
    if (isAbstractType(parent) && isObjectType(condition)) branches.set(condition.name, (branches.get(condition.name) ?? 0) + cost);
    else shared += cost;
  }
  return shared + Math.max(0, ...branches.values());
}

function fieldCost(walk: Walk, parent: GraphQLCompositeType, field: FieldNode, objectCost: number): number {
  // Unions have no fields of their own; meta fields and leaves cost nothing.
  if (!field.selectionSet || !("getFields" in parent) || field.name.value.startsWith("__")) return 0;
  const definition = parent.getFields()[field.name.value];
  if (!definition) return 0;
  const type = getNamedType(definition.type);
  if (isLeafType(type)) return 0;
  if (isConnection(type)) return 2 + pageSize(walk, field) * connectionItemCost(walk, type as GraphQLObjectType, field.selectionSet);
  return objectCost + selectionSetCost(walk, type, field.selectionSet);
}

/** The cost of one item of a connection: its `nodes` and `edges { node }` selections. */
function connectionItemCost(walk: Walk, type: GraphQLObjectType, selectionSet: SelectionSetNode): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? walk.fragments[selection.name.value] : selection;
      cost += connectionItemCost(walk, type, fragment.selectionSet);
      continue;
    }
    if (!selection.selectionSet) continue;
    const itemType = getNamedType(type.getFields()[selection.name.value].type);
    if (selection.name.value === "nodes" || selection.name.value === "node") cost += 1 + selectionSetCost(walk, itemType as GraphQLCompositeType, selection.selectionSet);
    else if (selection.name.value === "edges") cost += connectionItemCost(walk, itemType as GraphQLObjectType, selection.selectionSet);
  }
  return cost;
}

function pageSize(walk: Walk, field: FieldNode): number {
  for (const name of ["first", "last"]) {
    const argument = field.arguments?.find((a) => a.name.value === name);
    if (argument?.value.kind === Kind.INT) return Number(argument.value.value);
    if (argument?.value.kind === Kind.VARIABLE) {
      const value = walk.variables[argument.value.name.value];
      if (typeof value === "number") return value;
    }
  }
  return 0; // neither given: Shopify refuses the connection, so nothing is fetched
}

/**
 * Counts the actual cost while the query executes, by the same rules applied to
 * what each field returned: a connection's items are counted as they come back.
 */
export class ActualCost {
  total = 0;

  charge(info: GraphQLResolveInfo, value: unknown): void {
    const type = getNamedType(info.returnType);
    if (isLeafType(type)) return;
    const parent = info.parentType;
    if (parent === info.schema.getMutationType()) this.total += MUTATION_FIELD_COST;
    else if (isConnection(parent)) this.total += info.fieldName === "nodes" && Array.isArray(value) ? value.length : 0;
    else if (isEdge(parent)) this.total += info.fieldName === "node" ? 1 : 0;
    else if (isConnection(type)) this.total += 2;
    else this.total += 1;
  }
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** One app's points at one shop: drained by queries, restored at `restoreRate` per second. */
export class LeakyBucket {
  private points: number;
  private updatedAt: number;

  constructor(
    private readonly size: number,
    private readonly restoreRate: number,
    private readonly clock: () => number,
  ) {
    this.points = size;
    this.updatedAt = clock();
  }

  private restore(): void {
    const now = this.clock();
    this.points = Math.min(this.size, this.points + ((now - this.updatedAt) / 1000) * this.restoreRate);
    this.updatedAt = now;
  }

  /** Takes `points` if the bucket holds them; false (and nothing taken) otherwise. */
  take(points: number): boolean {
    this.restore();
    if (points > this.points) return false;
    this.points -= points;
    return true;
  }

  refund(points: number): void {
    this.points = Math.min(this.size, this.points + points);
  }

  status(): ThrottleStatus {
    this.restore();
    return { maximumAvailable: this.size, currentlyAvailable: Math.floor(this.points), restoreRate: this.restoreRate };
  }
}
