/**
 * Semantic diff between hardware revisions: matching (exact paths, then a learned
 * matcher and a global assignment), change detection with stable rule ids, a severity policy,
 * and reports (text, Markdown, JSON, SARIF, HTML).
 */
export type {
  Change,
  ChangeSet,
  ChangeSeverity,
  ChangeSide,
  ChangeValue,
  DiffReport,
  EntityKind,
  JudgedChange,
  LayoutPair,
  Match,
  RegisterLayout,
  RevisionInfo,
  InputValidity,
  RuleId,
} from './types.ts';
export { RULE_IDS, SEVERITIES, ENTITY_KINDS, severityOrder } from './types.ts';
export { diffDevices, pathMap, NAME_ONLY_SCORER, type DiffOptions } from './diff.ts';
export type { PairScorer } from './match.ts';
export { committedWeights, type MatcherWeights } from './matcher/model.ts';
export { DEFAULT_SEVERITY, POLICY_SPEC_ID, applyPolicy, defaultPolicy, globToRegExp, loadPolicy, type Policy, type Waiver } from './policy.ts';
export { RULE_SUMMARY } from './rule-info.ts';
export { renderText } from './report/text.ts';
export { renderMarkdown } from './report/markdown.ts';
export { renderJson, reportToJson, DIFF_REPORT_FORMAT } from './report/json.ts';
export { renderSarif } from './report/sarif.ts';
export { renderHtml, registerSvg, layoutSection, LAYOUT_STYLE } from './report/html.ts';
