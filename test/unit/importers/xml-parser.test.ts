import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseXml, child, childText, type XmlLimits } from '../../../src/importers/xml/index.ts';

const limits: XmlLimits = { maxBytes: 1 << 20, maxDepth: 64, maxElements: 10_000 };
const parse = (text: string, l: XmlLimits = limits) => parseXml(text, 'f.xml', l);
const firstError = (text: string, l: XmlLimits = limits): string => {
  const d = parse(text, l).diagnostics[0];
  return d ? `${d.code}@${d.span?.line}:${d.span?.column}` : 'none';
};

describe('XML tokenizer', () => {
  it('builds the element tree with names, attributes, text and positions', () => {
    const doc = parse('<?xml version="1.0"?>\n<!-- c -->\n<a x="1" y=\'two\'>\n  <b>hi</b>\n  <p:c/>\n</a>\n').value!;
    expect(doc.root.name).toBe('a');
    expect(doc.root.attributes).toEqual({ x: '1', y: 'two' });
    expect(doc.root.children.map((c) => [c.name, c.local])).toEqual([
      ['b', 'b'],
      ['p:c', 'c'],
    ]);
    expect(childText(doc.root, 'b')).toBe('hi');
    expect(doc.root.text).toBe('');
    expect(doc.source.position(child(doc.root, 'b')!.start)).toEqual({ line: 4, column: 3 });
    expect(doc.elementCount).toBe(3);
  });

  it('decodes the predefined entities, character references, CDATA and CRLF', () => {
    const doc = parse('<a>&lt;&gt;&amp;&quot;&apos; &#65;&#x42; <![CDATA[<raw & stuff>]]>\r\nx</a>').value!;
    expect(doc.root.text).toBe(`<>&"' AB <raw & stuff>\nx`);
  });

  it('skips processing instructions and comments inside elements', () => {
    const doc = parse('<a>1<?pi x?>2<!-- no -->3</a>').value!;
    expect(doc.root.text).toBe('123');
  });

  it('accepts a DOCTYPE without declarations', () => {
    expect(parse('<!DOCTYPE device>\n<device/>').diagnostics).toEqual([]);
  });

  it.each([
    ['<a><b></a>', 'xml/mismatched-tag@1:7'],
    ['<a>', 'xml/unexpected-eof@1:1'],
    ['<a x="1" x="2"/>', 'xml/duplicate-attribute@1:10'],
    ['<a x=1/>', 'xml/bad-attribute@1:6'],
    ['<a>&bogus;</a>', 'xml/unknown-entity@1:4'],
    ['<a>&#0;</a>', 'xml/bad-char-ref@1:4'],
    ['<a>AT&T</a>', 'xml/bad-entity@1:6'],
    ['<a/><b/>', 'xml/multiple-roots@1:5'],
    ['text', 'xml/text-outside-root@1:1'],
    ['', 'xml/no-root@1:1'],
    ['<!DOCTYPE a [<!ENTITY x "y">]><a/>', 'xml/doctype-entities@1:1'],
    ['<!DOCTYPE a PUBLIC "x" "http://e/x.dtd"><a/>', 'xml/doctype-entities@1:1'],
    ['<a>\n  <!-- open', 'xml/unexpected-eof@2:3'],
    ['<a></b>', 'xml/mismatched-tag@1:4'],
    ['</a>', 'xml/unexpected-end-tag@1:1'],
    ['<1a/>', 'xml/bad-name@1:1'],
  ])('%j → %s', (text, expected) => {
    expect(firstError(text)).toBe(expected);
  });

  it('honours the depth, element and size limits', () => {
    expect(firstError('<a><a><a/></a></a>', { ...limits, maxDepth: 2 })).toBe('limits/too-deep@1:7');
    expect(firstError('<a><b/><b/><b/></a>', { ...limits, maxElements: 3 })).toBe('limits/too-many-elements@1:12');
    expect(firstError('<a/>', { ...limits, maxBytes: 2 })).toBe('limits/file-too-large@1:1');
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', '/', 'a', 'b', '=', '"', '&', ';', '!', '-', '[', ']', '?', ' ', '\n', '#', 'x') }), (text) => {
        const result = parse(text);
        expect(result.value !== undefined || result.diagnostics.length > 0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
