import { badRequest } from '../errors.ts';

// The tokens of $filter and $orderby (OData ABNF, the subset Graph uses on these resources). The
// lexer scans character by character, so its time is linear in the input whatever the input is.

type TokenKind = 'word' | 'string' | 'number' | 'guid' | 'dateTime' | '(' | ')' | ',' | '/' | ':' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The token as written; a string literal's value with its doubled quotes undone. */
  readonly text: string;
  /** Zero-based offset in the option's value, for "Syntax error at position N". */
  readonly position: number;
}

/** The longest $filter or $orderby value accepted, far above what Graph's URL limit lets through. */
const maxExpressionLength = 4096;

const punctuation = new Set(['(', ')', ',', '/', ':']);
export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const dateTimePattern = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;
const numberPattern = /^-?\d{1,15}(?:\.\d{1,15})?$/;
const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const syntaxError = (text: string, position: number) => badRequest(`Syntax error at position ${position} in '${text}'.`);

export function tokenize(text: string): Token[] {
  if (text.length > maxExpressionLength) throw badRequest(`The query expression is too long: at most ${maxExpressionLength} characters.`);
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    if (char === ' ' || char === '\t') {
      at++;
    } else if (punctuation.has(char)) {
      tokens.push({ kind: char as TokenKind, text: char, position: at });
      at++;
    } else if (char === "'") {
      const start = at;
      let value = '';
      at++;
      for (;;) {
        if (at >= text.length) throw syntaxError(text, start); // an unterminated literal
        if (text[at] === "'") {
          if (text[at + 1] !== "'") break;
          value += "'";
          at += 2;
        } else {
          value += text[at];
          at++;
        }
      }
      at++;
      tokens.push({ kind: 'string', text: value, position: start });
    } else if (isWordChar(char) || char === '-') {
      const start = at;
      // Dates carry `:`, `.` and `+`; guids and negative numbers `-`: one run, classified below.
      while (
        at < text.length &&
        (isWordChar(text[at] as string) ||
          '-.+'.includes(text[at] as string) ||
          (text[at] === ':' && /\d/.test(text[at + 1] ?? '') && /^\d{4}-/.test(text.slice(start, start + 5))))
      )
        at++;
      tokens.push({ kind: classify(text.slice(start, at), text, start), text: text.slice(start, at), position: start });
    } else {
      throw syntaxError(text, at);
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

function isWordChar(char: string): boolean {
  return (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || (char >= '0' && char <= '9') || char === '_';
}

function classify(word: string, text: string, position: number): TokenKind {
  if (guidPattern.test(word)) return 'guid';
  if (dateTimePattern.test(word)) return 'dateTime';
  if (numberPattern.test(word)) return 'number';
  if (identifierPattern.test(word)) return 'word';
  throw syntaxError(text, position);
}
