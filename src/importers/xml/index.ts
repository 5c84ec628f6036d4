export { elementWithChildren, parseXml, type XmlDocument, type XmlElement, type XmlLimits } from './parser.ts';
export { attribute, child, childText, childrenNamed, elementRange, textRange } from './query.ts';
export { xmlLimitsFrom } from './limits.ts';
export { type NameIndex, SiblingNames, XmlConverter, importXml, normaliseText, optionalTexts } from './convert-kit.ts';
