// Alpine package versions: `number{.number}…{letter}{_suffix{number}}…{~hash}{-rN}`, ordered
// token by token as apk-tools 3 orders them (apk-tools 2 differs only on numbers with
// leading zeros, which it sorted as fractions).

/** Token kinds, in the order the grammar lets them follow one another. */
enum Token {
  InitialNumber,
  Number,
  Letter,
  Suffix,
  SuffixNumber,
  CommitHash,
  Revision,
  End,
  Invalid,
}

/** Suffix ranks: pre-releases below the bare version (`none`), post-releases above it. */
const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];
const NO_SUFFIX = SUFFIXES.indexOf('');

interface State {
  token: Token;
  /** The token's text (digits, letter, suffix name, hash). */
  text: string;
  suffix: number;
}

/** Reads one version's tokens in turn. */
class Lexer {
  private pos = 0;
  readonly state: State = { token: Token.InitialNumber, text: '', suffix: NO_SUFFIX };

  constructor(private readonly s: string) {
    this.digits();
  }

  /** Moves to the next token; End or Invalid stay put. */
  next(): void {
    const st = this.state;
    if (this.pos >= this.s.length) {
      st.token = Token.End;
      return;
    }
    const c = this.s[this.pos]!;
    if (c >= 'a' && c <= 'z') {
      if (st.token > Token.Number) return this.invalid();
      st.token = Token.Letter;
      st.text = c;
      this.pos++;
    } else if (c === '.' || (c >= '0' && c <= '9')) {
      if (c === '.') {
        if (st.token > Token.Number) return this.invalid();
        this.pos++;
      }
      if (st.token === Token.InitialNumber || st.token === Token.Number) st.token = Token.Number;
      else if (st.token === Token.Suffix) st.token = Token.SuffixNumber;
      else return this.invalid();
      this.digits();
    } else if (c === '_') {
      if (st.token > Token.SuffixNumber) return this.invalid();
      this.pos++;
      st.text = this.span(/[a-z]/);
      st.suffix = st.text === '' ? -1 : SUFFIXES.indexOf(st.text);
      if (st.suffix < 0) return this.invalid();
      st.token = Token.Suffix;
    } else if (c === '~') {
      if (st.token >= Token.CommitHash) return this.invalid();
      this.pos++;
      st.text = this.span(/[0-9a-f]/);
      if (st.text === '') return this.invalid();
      st.token = Token.CommitHash;
    } else if (c === '-') {
      if (st.token >= Token.Revision || this.s[this.pos + 1] !== 'r') return this.invalid();
      this.pos += 2;
      st.token = Token.Revision;
      this.digits();
    } else {
      this.invalid();
    }
  }

  private invalid(): void {
    this.state.token = Token.Invalid;
  }

  private span(chars: RegExp): string {
    const start = this.pos;
    while (this.pos < this.s.length && chars.test(this.s[this.pos]!)) this.pos++;
    return this.s.slice(start, this.pos);
  }

  private digits(): void {
    this.state.text = this.span(/[0-9]/);
    if (this.state.text === '') this.invalid();
  }
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function byNumber(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  return x.length !== y.length ? (x.length < y.length ? -1 : 1) : byText(x, y);
}

/** Compares two tokens of the same kind. */
function compareToken(kind: Token, a: State, b: State): number {
  switch (kind) {
    case Token.Number:
      // A number with a leading zero (`1.02`) compares as text, as in Gentoo.
      return a.text.startsWith('0') || b.text.startsWith('0') ? byText(a.text, b.text) : byNumber(a.text, b.text);
    case Token.InitialNumber:
    case Token.SuffixNumber:
    case Token.Revision:
      return byNumber(a.text, b.text);
    case Token.Suffix:
      return Math.sign(a.suffix - b.suffix);
    default:
      return byText(a.text, b.text);
  }
}

/**
 * Orders two Alpine versions as apk-tools does: `1.2.3_rc1` < `1.2.3` < `1.2.3-r1` <
 * `1.2.3_p1`; `_alpha`/`_beta`/`_pre`/`_rc` before the bare version, `_cvs`/`_svn`/`_git`/
 * `_hg`/`_p` after it. A malformed version is compared up to the first token apk cannot
 * read, as apk does; from there on it sorts as if it ended.
 */
export function compareApk(a: string, b: string): number {
  const x = new Lexer(a);
  const y = new Lexer(b);
  const xs = x.state;
  const ys = y.state;
  while (xs.token === ys.token && xs.token < Token.End) {
    const d = compareToken(xs.token, xs, ys);
    if (d !== 0) return d;
    x.next();
    y.next();
  }
  if (xs.token === ys.token) return 0;
  // Equal so far: the one that goes on is newer, unless it goes on with a pre-release suffix.
  if (xs.token === Token.Suffix && xs.suffix < NO_SUFFIX) return -1;
  if (ys.token === Token.Suffix && ys.suffix < NO_SUFFIX) return 1;
  return xs.token > ys.token ? -1 : 1;
}

/** Whether `v` is a version apk-tools accepts. */
export function isValidApk(v: string): boolean {
  const lexer = new Lexer(v);
  while (lexer.state.token < Token.End) lexer.next();
  return lexer.state.token === Token.End;
}
