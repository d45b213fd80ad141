// A small YAML emitter for cloud-config documents. Cloud-config needs only
// maps, lists, scalars and multi-line file contents; strings are written as
// JSON-quoted scalars (valid YAML) or literal blocks, so no value can be
// misread as another type ("no", "0644", "on"...).

/** A JSON-like value the emitter can write. */
export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function scalar(value: string | number | boolean, indent: string): string {
  if (typeof value !== "string") return String(value);
  // Literal block for multi-line text, unless leading spaces would confuse the indentation.
  if (value.includes("\n") && !/^[ \t]/.test(value)) {
    const body = value.endsWith("\n") ? value.slice(0, -1) : value;
    const chomp = value.endsWith("\n") ? "|" : "|-";
    if (!value.endsWith("\n\n")) {
      const lines = body.split("\n").map((l) => (l.length > 0 ? `${indent}  ${l}` : ""));
      return `${chomp}\n${lines.join("\n")}`;
    }
  }
  return JSON.stringify(value);
}

function key(k: string): string {
  return PLAIN_KEY.test(k) ? k : JSON.stringify(k);
}

function isScalar(v: YamlValue): v is string | number | boolean {
  return typeof v !== "object";
}

function emit(value: YamlValue, indent: string): string {
  if (isScalar(value)) return scalar(value, indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return value
      .map((item) => {
        if (isScalar(item)) return `${indent}- ${scalar(item, indent + "  ")}`;
        const inner = emit(item, indent + "  ");
        if (Array.isArray(item) || inner === "{}" || inner === "[]") {
          return Array.isArray(item) && item.length > 0 ? `${indent}-\n${inner}` : `${indent}- ${inner}`;
        }
        return `${indent}- ${inner.slice(indent.length + 2)}`;
      })
      .join("\n");
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  return entries
    .map(([k, v]) => {
      if (isScalar(v)) return `${indent}${key(k)}: ${scalar(v, indent)}`;
      const inner = emit(v, indent + "  ");
      if (inner === "[]" || inner === "{}") return `${indent}${key(k)}: ${inner}`;
      return `${indent}${key(k)}:\n${inner}`;
    })
    .join("\n");
}

/** Serialises `value` (a map at the top) as a YAML document body. */
export function toYaml(value: { [key: string]: YamlValue }): string {
  return emit(value, "") + "\n";
}
