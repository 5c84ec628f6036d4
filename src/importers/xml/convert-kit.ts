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

/** Collapses the layout whitespace of XML text, so export → import gives the same text; empty is absent. */
export function normaliseText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const collapsed = (hasLayoutWhitespace(text) ? text.replace(/\s+/g, ' ') : text).trim();
  return collapsed === '' ? undefined : collapsed;
}

/** A tab, line break, vertical tab, form feed or two spaces in a row: what `normaliseText` collapses (a loop, not a regular expression, on 100 000s of short texts). */
function hasLayoutWhitespace(text: string): boolean {
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 9 && c <= 13) || (c === 32 && text.charCodeAt(i + 1) === 32)) return true;
  }
  return false;
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
  duplicate(seen: Map<string, XmlElement>, name: string, element: XmlElement, kind: string): boolean {
    const first = seen.get(name);
    if (first) {
      this.diagnostics.warning(`${this.area}/duplicate-name`, `a second ${kind} named ${name}; it is ignored`, this.span(element), {
        related: [{ message: `first ${name}`, span: this.span(first) }],
      });
      return true;
    }
    seen.set(name, element);
    return false;
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
