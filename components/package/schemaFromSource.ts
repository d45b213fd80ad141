// Derives the Pulumi package schema of socle's component package from the
// TypeScript source: each exposed component's args interface gives its inputs,
// its public readonly fields (those exposed.ts names, when it names them) give
// its outputs, members inherited from the sources' own bases included, string
// enums become enum types, and doc comments (with their @default) give the
// descriptions. One source of truth: change an args
// interface and `./socle package schema` regenerates components/package/schema.json.
// Runs at development time only (it needs the TypeScript compiler).
import * as path from "node:path";
import ts from "typescript";
import { isSecretKeyName } from "../../delivery/redact";
import type { ExposedComponent } from "./exposed";

/** A property as the Pulumi package schema writes it. */
export interface PropertySpec {
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  $ref?: string;
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  description?: string;
  secret?: boolean;
  /** The value must be known when the program runs (not another resource's output). */
  plain?: boolean;
}

/** One value of an enum type. */
export interface EnumValueSpec {
  name: string;
  value: string;
  description?: string;
}

/** A string enum type of the schema. */
export interface EnumSpec {
  type: "string";
  description?: string;
  enum: EnumValueSpec[];
}

/** An object type or resource of the schema: its properties and which are required. */
export interface ObjectSpec {
  type?: "object";
  isComponent?: boolean;
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
  inputProperties?: Record<string, PropertySpec>;
  requiredInputs?: string[];
}

/** The parts of a Pulumi package schema socle fills in. */
export interface PackageSchema {
  name: string;
  displayName: string;
  version: string;
  description: string;
  license: string;
  resources: Record<string, ObjectSpec>;
  types: Record<string, ObjectSpec | EnumSpec>;
}

/** Pulumi wrappers that say nothing about the shape of a value. */
const TRANSPARENT_WRAPPERS = new Set(["Input", "Output", "Promise"]);

/** Generates the schema of `components` from the sources under `repoRoot`. */
export function schemaFromSource(
  repoRoot: string,
  components: ExposedComponent[],
  pkg: { version: string; description: string; license: string },
): PackageSchema {
  const files = [...new Set(components.map((c) => path.join(repoRoot, c.sourceFile)))];
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    strict: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const schema: PackageSchema = {
    name: "socle",
    displayName: "socle",
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    resources: {},
    types: {},
  };

  for (const component of components) {
    const module = component.token.split(":")[1];
    const source = program.getSourceFile(path.join(repoRoot, component.sourceFile));
    if (!source) throw new Error(`${component.token}: source file ${component.sourceFile} not found`);
    const where = `${component.sourceFile}`;
    const args = findDeclaration(source, component.argsInterface, ts.isInterfaceDeclaration, where);
    const cls = findDeclaration(source, component.className, ts.isClassDeclaration, where);
    const toSpec = (node: ts.TypeNode, at: string) => typeSpec(node, at, module, checker, schema);

    const argMembers = allMembers(args, checker);
    const inputs = membersOf(argMembers, checker, toSpec, `${component.argsInterface}`);
    markPlainInputs(argMembers, inputs.properties);
    const fields = allMembers(cls, checker).filter(isPublicReadonlyField);
    const outputs = membersOf(
      component.outputs ? pick(fields, component.outputs, component.className) : fields,
      checker,
      toSpec,
      `${component.className}`,
    );
    schema.resources[component.token] = {
      isComponent: true,
      description: docOf(cls.name ?? cls, checker),
      inputProperties: inputs.properties,
      requiredInputs: inputs.required,
      properties: outputs.properties,
      required: outputs.required,
    };
  }
  return schema;
}

function findDeclaration<T extends ts.Node>(
  source: ts.SourceFile,
  name: string,
  is: (node: ts.Node) => node is T,
  where: string,
): T {
  const found = source.statements.find(
    (s): s is T & ts.Statement => is(s) && (s as unknown as { name?: ts.Identifier }).name?.text === name,
  );
  if (!found) throw new Error(`${where}: no exported declaration named ${name}`);
  return found;
}

/**
 * Members of an interface or class, inherited ones first. Bases declared in
 * libraries (.d.ts, such as pulumi.ComponentResource) are not followed.
 */
function allMembers(
  declaration: ts.InterfaceDeclaration | ts.ClassDeclaration,
  checker: ts.TypeChecker,
): ts.Node[] {
  const inherited = (declaration.heritageClauses ?? [])
    .filter((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)
    .flatMap((clause) => clause.types)
    .flatMap((base) => {
      const found = targetSymbol(base.expression, checker)?.declarations?.find(
        (d): d is ts.InterfaceDeclaration | ts.ClassDeclaration =>
          (ts.isInterfaceDeclaration(d) || ts.isClassDeclaration(d)) && !d.getSourceFile().isDeclarationFile,
      );
      return found ? allMembers(found, checker) : [];
    });
  return [...inherited, ...declaration.members];
}

/** The fields named in `names`, in that order; an unknown name is an error. */
function pick(fields: ts.PropertyDeclaration[], names: string[], owner: string): ts.PropertyDeclaration[] {
  return names.map((name) => {
    const found = fields.find((f) => f.name.getText() === name);
    if (!found) throw new Error(`${owner}.${name}: no public readonly field of that name to publish`);
    return found;
  });
}

/** Args fields not typed `pulumi.Input<…>` shape the component, so they must be plain values. */
function markPlainInputs(members: ts.Node[], properties: Record<string, PropertySpec>): void {
  for (const member of members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const wrapper = referencedName(member.type);
    if (wrapper !== "Input" && wrapper !== "Output") properties[member.name.getText()].plain = true;
  }
}

function isPublicReadonlyField(member: ts.Node): member is ts.PropertyDeclaration {
  if (!ts.isPropertyDeclaration(member)) return false;
  const modifiers = ts.getModifiers(member) ?? [];
  const has = (kind: ts.SyntaxKind) => modifiers.some((m) => m.kind === kind);
  return (
    has(ts.SyntaxKind.ReadonlyKeyword) &&
    !has(ts.SyntaxKind.PrivateKeyword) &&
    !has(ts.SyntaxKind.ProtectedKeyword)
  );
}

type ToSpec = (node: ts.TypeNode, at: string) => PropertySpec;

/** Properties and required names of an interface's or class's members. */
function membersOf(
  members: readonly ts.Node[],
  checker: ts.TypeChecker,
  toSpec: ToSpec,
  owner: string,
): { properties: Record<string, PropertySpec>; required: string[] } {
  const properties: Record<string, PropertySpec> = {};
  const required: string[] = [];
  for (const member of members) {
    if (!ts.isPropertySignature(member) && !ts.isPropertyDeclaration(member)) continue;
    const name = member.name.getText();
    const at = `${owner}.${name}`;
    if (!member.type) throw new Error(`${at}: give the property an explicit type`);
    const { type, optional } = withoutUndefined(member.type);
    const spec: PropertySpec = { ...toSpec(type, at) };
    const description = docOf(member.name, checker);
    if (description) spec.description = description;
    // By name, as the redaction of previews does; only text can hold a secret.
    if (isSecretKeyName(name) && spec.type === "string") spec.secret = true;
    properties[name] = spec;
    if (!member.questionToken && !optional) required.push(name);
  }
  return { properties, required };
}

/** `T | undefined` is an optional T (an output a component may not have), not a union. */
function withoutUndefined(node: ts.TypeNode): { type: ts.TypeNode; optional: boolean } {
  if (!ts.isUnionTypeNode(node)) return { type: node, optional: false };
  const defined = node.types.filter(
    (t) =>
      t.kind !== ts.SyntaxKind.UndefinedKeyword &&
      !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword),
  );
  return defined.length === 1 && defined.length < node.types.length
    ? { type: defined[0], optional: true }
    : { type: node, optional: false };
}

/** The doc comment of a declaration, with its @default written out. */
function docOf(name: ts.Node, checker: ts.TypeChecker): string | undefined {
  const symbol = checker.getSymbolAtLocation(name);
  if (!symbol) return undefined;
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  const defaults = symbol
    .getJsDocTags(checker)
    .filter((tag) => tag.name === "default")
    .map((tag) => `Default: ${ts.displayPartsToString(tag.text).trim()}.`);
  const all = [text, ...defaults].filter((part) => part !== "").join("\n\n");
  return all === "" ? undefined : all;
}

/** Maps a TypeScript type to a schema property, registering object types as it meets them. */
function typeSpec(
  node: ts.TypeNode,
  at: string,
  module: string,
  checker: ts.TypeChecker,
  schema: PackageSchema,
): PropertySpec {
  const recurse = (inner: ts.TypeNode) => typeSpec(inner, at, module, checker, schema);
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: "string" };
    case ts.SyntaxKind.NumberKeyword:
      return { type: "number" };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: "boolean" };
  }
  if (ts.isArrayTypeNode(node)) return { type: "array", items: recurse(node.elementType) };
  if (ts.isParenthesizedTypeNode(node)) return recurse(node.type);
  if (ts.isUnionTypeNode(node)) {
    throw new Error(
      `${at}: union types cannot cross into a multi-language package; use separate fields or an enum`,
    );
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = referencedName(node) ?? "";
    const typeArgs = node.typeArguments ?? [];
    if (TRANSPARENT_WRAPPERS.has(name) && typeArgs.length === 1) return recurse(typeArgs[0]);
    if (name === "Array" && typeArgs.length === 1) return { type: "array", items: recurse(typeArgs[0]) };
    if (name === "Record" && typeArgs.length === 2) {
      return { type: "object", additionalProperties: recurse(typeArgs[1]) };
    }
    const enumeration = declarationOf(node, checker, ts.isEnumDeclaration);
    if (enumeration) {
      const token = `socle:${module}:${enumeration.name.text}`;
      schema.types[token] ??= enumSpec(enumeration, checker, at);
      return { $ref: `#/types/${token}` };
    }
    const declaration = declarationOf(node, checker, ts.isInterfaceDeclaration);
    if (declaration) {
      const token = `socle:${module}:${declaration.name.text}`;
      if (!schema.types[token]) {
        schema.types[token] = { type: "object", properties: {} }; // placeholder stops recursion
        const members = membersOf(allMembers(declaration, checker), checker, recurse, declaration.name.text);
        schema.types[token] = {
          type: "object",
          description: docOf(declaration.name, checker),
          properties: members.properties,
          required: members.required,
        };
      }
      return { $ref: `#/types/${token}` };
    }
  }
  throw new Error(
    `${at}: type "${node.getText()}" has no schema equivalent (use string, number, boolean, arrays or interfaces)`,
  );
}

/** The name a type reference uses: "Input" for `pulumi.Input<string>`, "Vlan" for `Vlan`. */
function referencedName(node: ts.TypeNode): string | undefined {
  if (!ts.isTypeReferenceNode(node)) return undefined;
  return ts.isQualifiedName(node.typeName) ? node.typeName.right.text : node.typeName.text;
}

function declarationOf<T extends ts.Declaration>(
  node: ts.TypeReferenceNode,
  checker: ts.TypeChecker,
  is: (node: ts.Node) => node is T,
): T | undefined {
  return targetSymbol(node.typeName, checker)?.declarations?.find(is);
}

/** The symbol a name refers to, through imports. */
function targetSymbol(name: ts.Node, checker: ts.TypeChecker): ts.Symbol | undefined {
  const symbol = checker.getSymbolAtLocation(name);
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** A string enum as a schema enum type: YAML programs write the values. */
function enumSpec(declaration: ts.EnumDeclaration, checker: ts.TypeChecker, at: string): EnumSpec {
  const values = declaration.members.map((member): EnumValueSpec => {
    const value = member.initializer;
    if (!value || !ts.isStringLiteral(value)) {
      throw new Error(`${at}: enum ${declaration.name.text} must have string values to cross into a package`);
    }
    const description = docOf(member.name, checker);
    return { name: member.name.getText(), value: value.text, ...(description ? { description } : {}) };
  });
  return { type: "string", description: docOf(declaration.name, checker), enum: values };
}
