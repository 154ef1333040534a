// Errors in the shape Shopify answers with. Shopify runs graphql-ruby, so its
// validation messages and `extensions.code` differ from graphql-js's; the
// common ones are translated here, the rest keep graphql-js's wording.
import type { GraphQLError, OperationDefinitionNode } from "graphql";
import { print } from "graphql";

export interface ShopifyGraphqlError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

type Translation = [RegExp, (match: RegExpExecArray) => { message: string; extensions: Record<string, unknown> }];

const VALIDATION: Translation[] = [
  [/^Cannot query field "(\w+)" on type "(\w+)"\./, ([, field, type]) => ({ message: `Field '${field}' doesn't exist on type '${type}'`, extensions: { code: "undefinedField", typeName: type, fieldName: field } })],
  [/^Unknown argument "(\w+)" on field "\w+\.(\w+)"\./, ([, argument, field]) => ({ message: `Field '${field}' doesn't accept argument '${argument}'`, extensions: { code: "argumentNotAccepted", name: field, typeName: "Field", argumentName: argument } })],
  [/^Field "(\w+)" argument "(\w+)" of type "[^"]+" is required, but it was not provided\./, ([, field, argument]) => ({ message: `Field '${field}' is missing required arguments: ${argument}`, extensions: { code: "missingRequiredArguments", className: "Field", name: field, arguments: argument } })],
  [/^Variable "\$(\w+)" is never used(?: in operation "(\w+)")?\./, ([, variable, operation]) => ({ message: `Variable $${variable} is declared by ${operation ?? "anonymous query"} but not used`, extensions: { code: "variableNotUsed", variableName: variable } })],
  [/^Variable "\$(\w+)" is not defined(?: by operation "(\w+)")?\./, ([, variable, operation]) => ({ message: `Variable $${variable} is used by ${operation ?? "anonymous query"} but not declared`, extensions: { code: "variableNotDefined", variableName: variable } })],
  [/^Field "(\w+)" of type "([^"]+)" must have a selection of subfields\./, ([, field, type]) => ({ message: `Field must have selections (field '${field}' returns ${type} but has no selections. Did you mean '${field} { ... }'?)`, extensions: { code: "selectionMismatch", nodeName: `field '${field}'`, typeName: type } })],
  [/^Field "(\w+)" must not have a selection since type "([^"]+)" has no subfields\./, ([, field, type]) => ({ message: `Selections can't be made on scalars (field '${field}' returns ${type} but has selections)`, extensions: { code: "selectionMismatch", nodeName: `field '${field}'`, typeName: type } })],
  [/^Unknown type "(\w+)"\./, ([, type]) => ({ message: `No such type ${type}, so it can't be a fragment condition`, extensions: { code: "undefinedType", typeName: type } })],
  [/^Variable "\$\w+" of type "[^"]+" used in position expecting type "[^"]+"\./, ([message]) => ({ message, extensions: { code: "variableMismatch" } })],
  [/cannot represent|Expected value of type|Enum "\w+" cannot/, ([message]) => ({ message, extensions: { code: "argumentLiteralsIncompatible" } })],
];

export function validationError(error: GraphQLError): ShopifyGraphqlError {
  for (const [pattern, translate] of VALIDATION) {
    const match = pattern.exec(error.message);
    if (match) return { ...translate(match), locations: error.locations };
  }
  return { message: error.message, locations: error.locations, extensions: { code: "validationError" } };
}

/** graphql-ruby answers a parse error with its position and no code. */
export function syntaxError(error: GraphQLError): ShopifyGraphqlError {
  return { message: error.message, locations: error.locations };
}

/** Shopify's answer to a variable the operation cannot accept. */
export function variableError(error: GraphQLError, operation: OperationDefinitionNode, variables: Record<string, unknown>): ShopifyGraphqlError {
  const name = /Variable "\$(\w+)"/.exec(error.message)?.[1];
  const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
  if (!name || !definition) return { message: error.message, locations: error.locations };
  return {
    message: `Variable $${name} of type ${print(definition.type)} was provided invalid value`,
    locations: error.locations,
    extensions: { value: variables[name] ?? null, problems: [{ path: [], explanation: error.message }] },
  };
}
