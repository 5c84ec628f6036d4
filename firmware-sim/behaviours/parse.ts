import type { Diagnostic } from '../../src/diagnostics/types.ts';
import type { SourceText } from '../../src/diagnostics/source-text.ts';
import type { Behaviour, Peripheral, SourceSpan } from '../../src/ir/types.ts';
import type { Action, Condition, FifoDeclaration, HiddenDeclaration, ParsedBehaviour, Term, Trigger, Value } from './ast.ts';
import { locator, ParseFailure, parseNumber, tokenize, type Token } from './tokens.ts';

/** Name lookups the parser needs; the simulator answers them from its device model. */
export interface BehaviourResolver {
  /** Concrete field path for `REG.FIELD` (relative to the peripheral) or `PERIPH.REG.FIELD`. */
  field(peripheral: Peripheral, text: string): string | undefined;
  register(peripheral: Peripheral, text: string): string | undefined;
}

export interface ParseOutput {
  readonly behaviours: ParsedBehaviour[];
  readonly fifos: FifoDeclaration[];
  readonly hidden: HiddenDeclaration[];
  readonly diagnostics: Diagnostic[];
}

const TICK_WORDS = new Set(['tick', 'ticks']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TRIGGERS = 'write REG, read REG, task REG, input STREAM, tick, reset or always';

/** Names resolved by the parser itself: hidden state (`hidden NAME`), by path, and which declarations were seen. */
interface HiddenNames {
  readonly paths: ReadonlySet<string>;
  readonly declared: Set<string>;
}

/**
 * Hidden state is declared by a `hidden NAME` action anywhere in a peripheral's behaviours; names are
 * collected first so a behaviour may use one declared further down.
 */
function hiddenPaths(peripherals: readonly Peripheral[]): Set<string> {
  const paths = new Set<string>();
  for (const peripheral of peripherals)
    for (const behaviour of peripheral.behaviours)
      for (const text of behaviour.actions) {
        const [verb, name] = tokenize(text);
        if (verb?.text === 'hidden' && name && IDENTIFIER.test(name.text)) paths.add(`${peripheral.name}.${name.text}`);
      }
  return paths;
}

/**
 * Parses the behaviours of every peripheral. `source` is the spec file's text, used to point
 * diagnostics at the exact token inside an action string; without it they point at the behaviour.
 */
export function parseBehaviours(peripherals: readonly Peripheral[], resolver: BehaviourResolver, source?: SourceText): ParseOutput {
  const out: ParseOutput = { behaviours: [], fifos: [], hidden: [], diagnostics: [] };
  const hidden: HiddenNames = { paths: hiddenPaths(peripherals), declared: new Set() };
  for (const peripheral of peripherals) {
    for (const behaviour of peripheral.behaviours) {
      const parsed = parseOne(peripheral, behaviour, { resolver, hidden }, source, out);
      if (parsed) out.behaviours.push(parsed);
    }
  }
  return out;
}

/** How names resolve: registers and fields through the resolver, hidden state through the parser's own table. */
interface Names {
  readonly resolver: BehaviourResolver;
  readonly hidden: HiddenNames;
}

function parseOne(peripheral: Peripheral, behaviour: Behaviour, names: Names, source: SourceText | undefined, out: ParseOutput): ParsedBehaviour | undefined {
  const locate = locator(behaviour, source);
  const report = (spanOf: (token?: Token) => SourceSpan, failure: ParseFailure): void => {
    out.diagnostics.push({ code: failure.code, severity: 'error', message: failure.message, span: spanOf(failure.token), path: peripheral.path });
  };
  const triggerSpan = locate(behaviour.trigger);
  let trigger: Trigger | undefined;
  try {
    trigger = parseTrigger(peripheral, tokenize(behaviour.trigger), names.resolver);
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
    report(triggerSpan, error);
  }
  const actions: Action[] = [];
  behaviour.actions.forEach((text) => {
    const spanOf = locate(text);
    const declare = {
      fifo: (decl: Omit<FifoDeclaration, 'span'>) => out.fifos.push({ ...decl, span: spanOf() }),
      hidden: (decl: Omit<HiddenDeclaration, 'span'>) => out.hidden.push({ ...decl, span: spanOf() }),
    };
    const parser = new ActionParser(peripheral, tokenize(text), names, trigger, declare, actions);
    try {
      actions.push(parser.parseAll());
    } catch (error) {
      if (!(error instanceof ParseFailure)) throw error;
      report(spanOf, error);
    }
  });
  if (!trigger) return undefined;
  return { peripheral: peripheral.name, trigger, actions, span: behaviour.span };
}

function parseTrigger(peripheral: Peripheral, tokens: Token[], resolver: BehaviourResolver): Trigger {
  const [verb, arg, extra] = tokens;
  if (!verb) throw new ParseFailure('sim/behaviour-trigger', `empty trigger; expected ${TRIGGERS}`, undefined);
  const expectCount = (n: number): void => {
    if (tokens.length > n)
      throw new ParseFailure('sim/behaviour-syntax', `unexpected ${JSON.stringify(extra?.text ?? tokens[n]?.text)} after the trigger`, tokens[n]);
    if (tokens.length < n) throw new ParseFailure('sim/behaviour-syntax', `trigger ${verb.text} needs an argument`, verb);
  };
  switch (verb.text) {
    case 'write':
    case 'read':
    case 'task': {
      expectCount(2);
      const register = resolver.register(peripheral, arg!.text);
      if (!register) throw new ParseFailure('sim/behaviour-unknown-register', `no register ${arg!.text} in ${peripheral.name}`, arg);
      return { kind: verb.text, register };
    }
    case 'input':
      expectCount(2);
      return { kind: 'input', stream: `${peripheral.name}.${arg!.text}` };
    case 'tick':
    case 'reset':
    case 'always':
      expectCount(1);
      return { kind: verb.text };
    default:
      throw new ParseFailure('sim/behaviour-trigger', `unknown trigger ${JSON.stringify(verb.text)}; expected ${TRIGGERS}`, verb);
  }
}

const ACTION_WORDS = 'set, clear, pulse, toggle, setbits, clearbits, togglebits, emit, push, after, irq, count, on wrap, on count, incr, decr, if, hidden';

class ActionParser {
  private i = 0;
  constructor(
    private readonly peripheral: Peripheral,
    private readonly tokens: Token[],
    private readonly names: Names,
    private readonly trigger: Trigger | undefined,
    private readonly declare: {
      readonly fifo: (decl: Omit<FifoDeclaration, 'span'>) => void;
      readonly hidden: (decl: Omit<HiddenDeclaration, 'span'>) => void;
    },
    private readonly previous: readonly Action[],
  ) {}

  parseAll(): Action {
    const action = this.action();
    const rest = this.tokens[this.i];
    if (rest) throw new ParseFailure('sim/behaviour-syntax', `unexpected ${JSON.stringify(rest.text)}; one action per list item`, rest);
    return action;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(what: string): Token {
    const token = this.tokens[this.i];
    if (!token) {
      const last = this.tokens[this.tokens.length - 1];
      throw new ParseFailure('sim/behaviour-syntax', `expected ${what} after ${JSON.stringify(last?.text ?? '')}`, last);
    }
    this.i++;
    return token;
  }

  private accept(word: string): boolean {
    if (this.peek()?.text !== word) return false;
    this.i++;
    return true;
  }

  private field(): string {
    const token = this.next('a field (REG.FIELD)');
    const local = `${this.peripheral.name}.${token.text}`;
    const hidden = this.names.hidden.paths;
    const path = hidden.has(local) ? local : hidden.has(token.text) ? token.text : this.names.resolver.field(this.peripheral, token.text);
    if (!path)
      throw new ParseFailure(
        'sim/behaviour-unknown-field',
        `no field ${token.text} in ${this.peripheral.name} (write REG.FIELD or PERIPHERAL.REG.FIELD)`,
        token,
      );
    return path;
  }

  /** A value, optionally shifted: `V << W`. */
  private value(): Value {
    const value = this.term();
    return this.accept('<<') ? { kind: 'shift', value, by: this.term() } : value;
  }

  private term(): Value {
    const token = this.next('a value (a number, REG.FIELD or input)');
    if (token.text === 'input') {
      if (this.trigger?.kind !== 'input')
        throw new ParseFailure('sim/behaviour-context', '`input` is the byte of an `input` trigger and has no value here', token);
      return { kind: 'input' };
    }
    if (/^[0-9]/.test(token.text)) return { kind: 'const', value: parseNumber(token) };
    this.i--;
    return { kind: 'field', field: this.field() };
  }

  private condition(): Condition {
    const terms: Term[] = [];
    do {
      const negate = this.accept('not');
      const field = this.field();
      const op = this.peek()?.text;
      if (op === '==' || op === '!=') {
        this.i++;
        terms.push({ field, negate, compare: { op, value: this.value() } });
      } else terms.push({ field, negate });
    } while (this.accept('and'));
    return terms;
  }

  private action(): Action {
    const verb = this.next('an action');
    switch (verb.text) {
      case 'set':
        return { kind: 'set', field: this.field(), value: this.value() };
      case 'clear':
        return { kind: 'set', field: this.field(), value: { kind: 'const', value: 0 } };
      case 'pulse':
      case 'toggle':
        return { kind: verb.text, field: this.field() };
      case 'setbits':
      case 'clearbits':
      case 'togglebits':
        return { kind: verb.text, field: this.field(), value: this.value() };
      case 'emit': {
        const stream = this.next('a stream name');
        return { kind: 'emit', stream: `${this.peripheral.name}.${stream.text}`, value: this.value() };
      }
      case 'push':
        return this.push(verb);
      case 'after': {
        const ticks = this.value();
        const unit = this.next('`ticks`');
        if (!TICK_WORDS.has(unit.text))
          throw new ParseFailure('sim/behaviour-syntax', `expected \`ticks\` after the delay, got ${JSON.stringify(unit.text)}`, unit);
        return { kind: 'after', ticks, action: this.action() };
      }
      case 'irq': {
        const when = this.next('`when`');
        if (when.text !== 'when') throw new ParseFailure('sim/behaviour-syntax', 'write `irq when REG.FIELD [and REG.FIELD]…`', when);
        return { kind: 'irq', condition: this.condition() };
      }
      case 'count':
        return this.count();
      case 'on': {
        const event = this.next('`wrap` or `count`');
        if (event.text !== 'wrap' && event.text !== 'overflow' && event.text !== 'count')
          throw new ParseFailure('sim/behaviour-syntax', `expected \`on wrap ACTION\` or \`on count ACTION\`, got ${JSON.stringify(event.text)}`, event);
        if (!this.previous.some((a) => a.kind === 'count' || a.kind === 'step'))
          throw new ParseFailure('sim/behaviour-context', `\`on ${event.text}\` must follow a \`count\`, \`incr\` or \`decr\` action in the same list`, verb);
        return { kind: event.text === 'count' ? 'on-count' : 'on-wrap', action: this.action() };
      }
      case 'incr':
      case 'decr': {
        const field = this.field();
        const by: Value = this.accept('by') ? this.value() : { kind: 'const', value: 1 };
        return { kind: 'step', field, direction: verb.text === 'incr' ? 1 : -1, by };
      }
      case 'if': {
        const condition = this.condition();
        const then = this.next('`then`');
        if (then.text !== 'then')
          throw new ParseFailure('sim/behaviour-syntax', `expected \`then\` after the condition, got ${JSON.stringify(then.text)}`, then);
        return { kind: 'if', condition, action: this.action() };
      }
      case 'hidden':
        return this.hidden();
      default:
        throw new ParseFailure('sim/behaviour-action', `unknown action ${JSON.stringify(verb.text)}; expected one of: ${ACTION_WORDS}`, verb);
    }
  }

  private push(verb: Token): Action {
    const field = this.field();
    let value: Value | undefined;
    const next = this.peek();
    if (next && !['depth', 'overrun', 'nonempty', 'level'].includes(next.text)) value = this.value();
    if (!value) {
      if (this.trigger?.kind !== 'input')
        throw new ParseFailure(
          'sim/behaviour-context',
          '`push REG.FIELD` without a value needs an `input` trigger (it pushes the input byte); elsewhere write `push REG.FIELD VALUE`',
          verb,
        );
      value = { kind: 'input' };
    }
    let depth: number | undefined;
    const options: { overrun?: string; nonEmpty?: string; level?: string } = {};
    let declared = false;
    for (let option = this.peek(); option; option = this.peek()) {
      this.i++;
      declared = true;
      if (option.text === 'depth') {
        const n = this.next('a depth');
        depth = parseNumber(n);
        if (depth < 1) throw new ParseFailure('sim/behaviour-bad-number', 'a FIFO needs a depth of at least 1', n);
      } else if (option.text === 'overrun') options.overrun = this.field();
      else if (option.text === 'nonempty') options.nonEmpty = this.field();
      else if (option.text === 'level') options.level = this.field();
      else
        throw new ParseFailure(
          'sim/behaviour-syntax',
          `unknown push option ${JSON.stringify(option.text)}; expected depth N, overrun F, nonempty F, level F`,
          option,
        );
    }
    if (declared || value.kind === 'input') this.declare.fifo({ field, depth: depth ?? 1, ...options });
    return { kind: 'push', field, value };
  }

  private count(): Action {
    const field = this.field();
    let when: Condition | undefined;
    let prescale: Value | undefined;
    let divide: Value | undefined;
    let wrap: Value | undefined;
    let down = false;
    for (let option = this.peek(); option; option = this.peek()) {
      if (option.text === 'when') {
        this.i++;
        when = this.condition();
      } else if (option.text === 'prescale') {
        this.i++;
        prescale = this.value();
      } else if (option.text === 'divide') {
        this.i++;
        divide = this.value();
      } else if (option.text === 'wrap') {
        this.i++;
        wrap = this.value();
      } else if (option.text === 'down') {
        this.i++;
        down = true;
      } else break;
    }
    return {
      kind: 'count',
      field,
      down,
      ...(when ? { when } : {}),
      ...(prescale ? { prescale } : {}),
      ...(divide ? { divide } : {}),
      ...(wrap ? { wrap } : {}),
    };
  }

  /** `hidden NAME [width N]`: a name no register or field of the peripheral has, declared once. */
  private hidden(): Action {
    const name = this.next('a name for the hidden state');
    if (!IDENTIFIER.test(name.text)) throw new ParseFailure('sim/behaviour-syntax', `${JSON.stringify(name.text)} is not a name (letters, digits, _)`, name);
    const path = `${this.peripheral.name}.${name.text}`;
    if (this.names.resolver.register(this.peripheral, name.text))
      throw new ParseFailure(
        'sim/behaviour-duplicate-name',
        `${this.peripheral.name} already has a register ${name.text}; hidden state needs a name of its own`,
        name,
      );
    if (this.names.hidden.declared.has(path))
      throw new ParseFailure('sim/behaviour-duplicate-name', `hidden state ${name.text} of ${this.peripheral.name} is declared twice`, name);
    let width = 32;
    if (this.accept('width')) {
      const n = this.next('a width in bits');
      width = parseNumber(n);
      if (width < 1 || width > 32) throw new ParseFailure('sim/behaviour-bad-number', 'hidden state is 1 to 32 bits wide', n);
    }
    this.names.hidden.declared.add(path);
    this.declare.hidden({ peripheral: this.peripheral.name, name: name.text, path, width });
    return { kind: 'hidden', name: name.text, path, width };
  }
}
