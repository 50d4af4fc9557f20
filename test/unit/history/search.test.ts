// Search semantics shared by history and contacts: folding, query tokens, haystacks and the
// incremental TextIndex (results must equal a full scan whatever the typing order).
import { describe, expect, it } from 'vitest';
import { digitsOf, foldText } from '../../../src-renderer/src/lib/search/fold';
import {
  buildHaystack,
  parseQuery,
  refines,
  TextIndex,
} from '../../../src-renderer/src/lib/search/text-index';

describe('foldText / digitsOf', () => {
  it('ignores case and diacritics, maps letters without decomposition, keeps other scripts', () => {
    expect(foldText('Dvořák ÉLODIE')).toBe('dvorak elodie');
    expect(foldText('Łódź Straße Ærø')).toBe('lodz strasse aero');
    expect(foldText('王小明 محمد 😀')).toBe('王小明 محمد 😀');
    expect(foldText('ＡＢＣ１２')).toBe('abc12');
  });

  it('keeps only digits, fullwidth included', () => {
    expect(digitsOf('+49 (30) 123-45/6')).toBe('4930123456');
    expect(digitsOf('０３０ １２')).toBe('03012');
  });
});

describe('parseQuery', () => {
  it('a number with separators is one digits token', () => {
    expect(parseQuery(' +49 (30) 123-4 ')).toEqual([{ kind: 'digits', value: '49301234' }]);
  });

  it('words are text tokens; number-like words among them are digits tokens', () => {
    expect(parseQuery('Élo 030-1')).toEqual([
      { kind: 'text', value: 'elo' },
      { kind: 'digits', value: '0301' },
    ]);
    expect(parseQuery('+')).toEqual([{ kind: 'text', value: '+' }]);
    expect(parseQuery('   ')).toEqual([]);
  });

  it('refines only when every old token is inside a new token of the same kind', () => {
    expect(refines(parseQuery('ali'), parseQuery('alic'))).toBe(true);
    expect(refines(parseQuery('ali'), parseQuery('ali b'))).toBe(true);
    expect(refines(parseQuery('030 12'), parseQuery('030 12 a'))).toBe(false);
    expect(refines(parseQuery('+'), parseQuery('+4'))).toBe(false);
  });
});

describe('buildHaystack', () => {
  it('folds texts, keeps the digits of numbers, and never joins two fields', () => {
    const hay = buildHaystack(['Room 1', 'Zoë'], ['+49 (30) 12', '2345']);
    expect(hay).toBe('room 1\u0001zoe\u0000493012\u00012345\u0001');
    expect(hay.includes('12345')).toBe(false);
    expect(hay.includes('301')).toBe(true);
  });
});

const PEOPLE = [
  ['a', 'Alice Émile', '+49 30 1234567'],
  ['b', 'Bob', '030 1234567'],
  ['c', 'Álvaro Núñez', '+34 91 555 0100'],
  ['d', '王小明', 'sip:wang@example.cn'],
  ['e', 'alice.b', '1001'],
  ['f', 'Room 12a', '7788'],
] as const;

function index(): TextIndex {
  const idx = new TextIndex();
  idx.reset(
    PEOPLE.map((p) => p[0]),
    PEOPLE.map((p) =>
      p[2].includes('@') ? buildHaystack([p[1], p[2]]) : buildHaystack([p[1]], [p[2]]),
    ),
  );
  return idx;
}

function keys(idx: TextIndex, query: string): string[] {
  const slots = idx.search(query);
  return slots === null ? PEOPLE.map((p) => p[0]) : Array.from(slots, (s) => idx.keyAt(s) ?? '?');
}

describe('TextIndex', () => {
  it('finds names regardless of case and accents, numbers regardless of separators', () => {
    const idx = index();
    expect(keys(idx, 'ALI')).toEqual(['a', 'e']);
    expect(keys(idx, 'alvaro nun')).toEqual(['c']);
    expect(keys(idx, '301234')).toEqual(['a', 'b']);
    expect(keys(idx, '30 12-34')).toEqual(['a', 'b']);
    expect(keys(idx, '小明')).toEqual(['d']);
    expect(keys(idx, 'wang@')).toEqual(['d']);
    expect(keys(idx, '12a')).toEqual(['f']);
    expect(keys(idx, '')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('typing, deleting and retyping gives the same result as a fresh scan every time', () => {
    const idx = index();
    const sequence = [
      'a',
      'al',
      'ali',
      'alic',
      'ali',
      'al',
      'a',
      '',
      '1',
      '12',
      '12a',
      '12',
      '1',
      '1 a',
    ];
    for (const q of sequence) {
      expect(keys(idx, q), q).toEqual(keys(index(), q));
    }
  });

  it('equals a brute-force filter on random records and random typing, across mutations', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = 'abcé 0123+-@.';
    const word = (n: number): string =>
      Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
    const records = Array.from({ length: 300 }, (_, i) => ({
      key: `k${i}`,
      hay: buildHaystack([word(6), word(4)], [word(5)]),
    }));
    const idx = new TextIndex();
    idx.reset(
      records.map((r) => r.key),
      records.map((r) => r.hay),
    );
    const brute = (q: string): string[] => {
      const tokens = parseQuery(q);
      return records.filter((r) => tokens.every((t) => r.hay.includes(t.value))).map((r) => r.key);
    };
    for (let round = 0; round < 40; round++) {
      if (round % 10 === 9) {
        const gone = records.splice(Math.floor(rnd() * records.length), 1)[0];
        idx.remove(gone?.key ?? '');
        const added = { key: `n${round}`, hay: buildHaystack([word(7)], [word(3)]) };
        records.push(added);
        idx.insert(added.key, added.hay);
      }
      const query = word(1 + Math.floor(rnd() * 4));
      for (let i = 1; i <= query.length; i++) {
        const q = query.slice(0, i);
        const slots = idx.search(q);
        const got =
          slots === null ? records.map((r) => r.key) : Array.from(slots, (s) => idx.keyAt(s));
        expect(got, JSON.stringify(q)).toEqual(brute(q));
      }
    }
  });

  it('control characters in a query never match across fields or records', () => {
    const idx = index();
    expect(idx.search('567\u0002')).toEqual(idx.search('567'));
  });

  it('insert, update and remove invalidate earlier results', () => {
    const idx = index();
    expect(keys(idx, 'zed')).toEqual([]);
    idx.insert('z', buildHaystack(['Zed']), 0);
    expect(Array.from(idx.search('zed') ?? [], (s) => idx.keyAt(s))).toEqual(['z']);
    idx.update('z', buildHaystack(['Zoe']));
    expect(idx.search('zed')).toEqual(new Int32Array(0));
    expect(idx.remove('z')).toBe(true);
    expect(idx.remove('z')).toBe(false);
    expect(idx.size).toBe(PEOPLE.length);
  });
});
