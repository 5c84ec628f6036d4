import { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { SourceText } from '../../diagnostics/source-text.ts';
import type { StageResult } from '../../diagnostics/types.ts';
import type { Device, SourceSpan } from '../../ir/types.ts';
import type { ImportLimits, ImportOptions } from '../types.ts';
import { resolveLimits } from '../types.ts';
import { xmlLimitsFrom } from './limits.ts';
import { parseXml, type XmlElement } from './parser.ts';
import { child } from './query.ts';

/**
 * What the XML register-map importers (SVD, IP-XACT) share: parsing, spans, the node budget, duplicate
 * names. Public: an importer's passes live in files of their own and share one converter.
 */

/** Whitespace that is layout, not content: a tab, line break, vertical tab, form feed, or two spaces in a row. */
const LAYOUT = /[\t\n\r\f\v]| {2}/;

/** Collapses the layout whitespace of XML text, so export → import gives the same text; empty is absent. */
export function normaliseText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  // A regular expression finds the texts that need nothing: texts are slices of the source, which a
  // loop reads a character at a time through the slice (slower than the expression even optimized).
  const collapsed = (LAYOUT.test(text) ? collapseWhitespace(text) : text).trim();
  return collapsed === '' ? undefined : collapsed;
}

/**
 * `text.replace(/\s+/g, ' ')` by one scan that joins the pieces between the runs (the replacement
 * cost 2–3 µs a text, and half of STM32H743's 14 000 descriptions span lines). A text with a
 * character outside ASCII takes the expression, whose `\s` also matches Unicode spaces.
 */
function collapseWhitespace(text: string): string {
  const length = text.length;
  let out = '';
  // Where the text not yet copied to `out` starts.
  let from = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c > 32) {
      if (c > 126) return text.replace(/\s+/g, ' ');
      continue;
    }
    if (c !== 32 && (c < 9 || c > 13)) continue;
    // A run of ASCII whitespace from i to end; a single space stays as it is.
    let end = i + 1;
    while (end < length) {
      const d = text.charCodeAt(end);
      if (d !== 32 && (d < 9 || d > 13)) break;
      end++;
    }
    if (c === 32 && end === i + 1) continue;
    out += `${text.slice(from, i)} `;
    from = end;
    i = end - 1;
  }
  return out + text.slice(from);
}

/** The normalised texts of optional child elements, ready to spread into an IR node (absent ones left out). */
export function optionalTexts<K extends string>(element: XmlElement, locals: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const local of locals) {
    const value = normaliseText(child(element, local)?.text);
    if (value !== undefined) out[local] = value;
  }
  return out;
}

/** The first element seen under each name (a `Map` is one). */
export interface NameIndex {
  get(name: string): XmlElement | undefined;
  set(name: string, element: XmlElement): unknown;
}

/**
 * A `NameIndex` for the siblings of one parent: most hold a few names (fields of a register, values
 * of an enumeration), which a scan of two short lists answers without a map per parent; past
 * `SCAN_LIMIT` names a map takes over.
 */
export class SiblingNames<T = XmlElement> {
  private readonly names: string[] = [];
  private readonly elements: T[] = [];
  private map: Map<string, T> | undefined;

  get(name: string): T | undefined {
    if (this.map) return this.map.get(name);
    const names = this.names;
    for (let i = 0; i < names.length; i++) if (names[i] === name) return this.elements[i];
    return undefined;
  }

  set(name: string, element: T): void {
    if (this.map) {
      this.map.set(name, element);
      return;
    }
    this.names.push(name);
    this.elements.push(element);
    if (this.names.length > SCAN_LIMIT) this.map = new Map(this.names.map((n, i) => [n, this.elements[i] as T]));
  }
}

const SCAN_LIMIT = 16;

export abstract class XmlConverter {
  readonly diagnostics = new DiagnosticCollector();
  private nodeCount = 0;
  /** Set once more than `maxNodes` registers + fields were seen; conversion then stops adding nodes. */
  tooMany = false;

  constructor(
    /** Diagnostic code prefix: `svd` or `ipxact`. */
    readonly area: string,
    readonly source: SourceText,
    readonly limits: ImportLimits,
  ) {}

  span(element: XmlElement): SourceSpan {
    // Derived copies read the same elements again: one span object (and one line lookup) per element.
    return (element.span ??= this.source.span(element.start, element.start + element.name.length + 1));
  }

  /** Counts a register or field against `maxNodes`; false (and one located error) once over. */
  countNode(element: XmlElement): boolean {
    this.nodeCount++;
    if (this.nodeCount > this.limits.maxNodes && !this.tooMany) {
      this.tooMany = true;
      this.diagnostics.error('limits/too-many-nodes', `more than ${this.limits.maxNodes} registers and fields`, this.span(element));
    }
    return !this.tooMany;
  }

  /** Vendor files sometimes repeat a name; the first one wins and the repeat is a located warning. */
  duplicate(seen: NameIndex, name: string, element: XmlElement, kind: string): boolean {
    const first = seen.get(name);
    if (first) {
      this.duplicateAt(this.span(element), this.span(first), name, kind);
      return true;
    }
    seen.set(name, element);
    return false;
  }

  /** The warning of `duplicate`, for a converter that finds the first of a name by itself (`at` is the repeat's span). */
  duplicateAt(at: SourceSpan, first: SourceSpan, name: string, kind: string): void {
    this.diagnostics.warning(`${this.area}/duplicate-name`, `a second ${kind} named ${name}; it is ignored`, at, {
      related: [{ message: `first ${name}`, span: first }],
    });
  }
}

/** Parses XML within the limits, then converts the root; XML errors stop before conversion. */
export function importXml(
  text: string,
  file: string,
  options: ImportOptions | undefined,
  convert: (root: XmlElement, source: SourceText, limits: ImportLimits) => StageResult<Device>,
): StageResult<Device> {
  const limits = resolveLimits(options);
  const parsed = parseXml(text, file, xmlLimitsFrom(limits));
  if (!parsed.value) return { value: undefined, diagnostics: parsed.diagnostics };
  const converted = convert(parsed.value.root, parsed.value.source, limits);
  return { value: converted.value, diagnostics: [...parsed.diagnostics, ...converted.diagnostics] };
}
