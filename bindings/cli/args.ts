/**
 * Command-line value syntax (polar-spec §14): `Type:id` (split at the first `:`), a token
 * without `:` is a String, `_` / `Type:_` are wildcards in patterns. Facts printed by the CLI
 * always use the typed form (`has_role User:bob String:owner Repo:x`) and shell-quote a token
 * when needed, so every printed line can be pasted back after `boreal tell` or into `-c`.
 */
import { diagnostic, FactError } from "../api/errors.js";
import type { Fact, TypedValue, ValuePattern } from "../api/types.js";
import { parsePattern, parseValue, type TypedPattern } from "../api/values.js";

/**
 * Split a line into words the way a POSIX shell does for plain words: blanks separate words,
 * '…' is literal, "…" allows \" \\ \$ \` escapes, a backslash outside quotes escapes the next
 * character. No expansion of any kind. Throws on an unterminated quote.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw quoteError(line);
      word += line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        const d = line[j]!;
        if (d === "\\" && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) word += line[++j]!;
        else word += d;
      }
      if (j >= line.length) throw quoteError(line);
      i = j;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i]!;
    } else {
      word += c;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function quoteError(line: string): FactError {
  return new FactError(diagnostic("E_BAD_FACT", `unterminated quote in \`${line}\``, "close every ' and \" quote"));
}

/** Quote a word for a POSIX shell (and `splitWords`) when it needs it. */
export function quoteWord(word: string): string {
  if (/^[\p{L}\p{N}_@%+=:,./-]+$/u.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A value in the CLI's typed form: `User:bob`, `String:owner`, `Integer:10`, `Boolean:true`. */
export function formatCliValue(v: TypedValue): string {
  return quoteWord(`${v.type}:${v.id}`);
}

/** A fact (or query row, `null` printed as `_`) in CLI syntax. */
export function formatCliFact(pred: string, args: readonly (TypedValue | null)[]): string {
  return [quoteWord(pred), ...args.map((a) => (a === null ? "_" : formatCliValue(a)))].join(" ");
}

/** `["pred", "User:bob", …]` (CLI words) → a canonical fact. */
export function parseFactWords(words: readonly string[]): readonly [string, ...TypedValue[]] {
  const [pred, ...args] = words;
  if (pred === undefined || pred.length === 0) {
    throw new FactError(diagnostic("E_BAD_FACT", "a fact needs a predicate name", "write a fact as `PRED ARG…`, such as `has_role User:bob owner Repo:x`"));
  }
  return [pred, ...args.map(parseValue)];
}

/** `-c "has_role User:bob owner Repo:x"` values → context facts. */
export function parseContextFacts(list: readonly string[] | undefined): Fact[] {
  return (list ?? []).map((text) => parseFactWords(splitWords(text)));
}

/** A CLI pattern → the engine's ValuePattern (`null` for `_`, `{ type }` for `Type:_`). */
export function toValuePattern(p: TypedPattern): ValuePattern {
  if (p.id === null) return p.type === null ? null : { type: p.type };
  return p;
}

export function parsePatterns(words: readonly string[]): TypedPattern[] {
  return words.map(parsePattern);
}

/** The action argument: a plain word, or `String:word`. */
export function parseAction(text: string): string {
  const v = parseValue(text);
  if (v.type !== "String") {
    throw new FactError(diagnostic("E_BAD_VALUE", `the action must be a String, got \`${text}\``, "write the action as a plain word, such as `read`"));
  }
  return v.id;
}
