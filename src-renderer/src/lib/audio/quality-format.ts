// Words and rows for the quality indicator and the details panel, from the figures.
import { codecLabel, gradeOf, type QualityFigures, type QualityGrade } from './quality';

/** One row of the details panel; `value` is the raw number (tests compare it with getStats). */
export interface QualityRow {
  key: string;
  label: string;
  value: number | null;
  text: string;
}

const fixed = (value: number | null, digits: number, unit: string): string =>
  value === null ? '–' : `${value.toFixed(digits)}${unit}`;

/** The rows of the details panel, in display order. */
export function qualityRows(f: QualityFigures): QualityRow[] {
  const row = (key: string, label: string, value: number | null, text: string): QualityRow => ({
    key,
    label,
    value,
    text,
  });
  return [
    row('codec', 'Codec', f.codec?.clockRate ?? null, codecLabel(f.codec) ?? '–'),
    row('sendKbps', 'Sending', f.sendKbps, fixed(f.sendKbps, 1, ' kbit/s')),
    row('receiveKbps', 'Receiving', f.receiveKbps, fixed(f.receiveKbps, 1, ' kbit/s')),
    row('packetsReceived', 'Packets received', f.packetsReceived, String(f.packetsReceived)),
    row('packetsLost', 'Packets lost', f.packetsLost, String(f.packetsLost)),
    row('lossPct', 'Packet loss', f.lossPct, fixed(f.lossPct, 2, ' %')),
    row('jitterMs', 'Jitter', f.jitterMs, fixed(f.jitterMs, 1, ' ms')),
    row('rttMs', 'Round-trip time', f.rttMs, fixed(f.rttMs, 1, ' ms')),
    row('jitterBufferMs', 'Jitter buffer', f.jitterBufferMs, fixed(f.jitterBufferMs, 1, ' ms')),
    row('concealedPct', 'Concealed audio', f.concealedPct, fixed(f.concealedPct, 2, ' %')),
    row('oneWayDelayMs', 'Delay (estimate)', f.oneWayDelayMs, fixed(f.oneWayDelayMs, 0, ' ms')),
    row('mos', 'MOS (estimate)', f.mos, fixed(f.mos, 2, '')),
  ];
}

const GRADE_WORD: Record<QualityGrade, string> = {
  excellent: 'excellent',
  good: 'good',
  fair: 'fair',
  poor: 'poor',
  bad: 'bad',
  unknown: 'not measured yet',
};

/** Bars lit (0..4) for a grade. */
export function barsOf(grade: QualityGrade): number {
  return { excellent: 4, good: 3, fair: 2, poor: 1, bad: 1, unknown: 0 }[grade];
}

/** The indicator's text alternative: "Call quality: good (MOS 4.1)". */
export function qualitySentence(mos: number | null, problem: string | null = null): string {
  if (problem) {
    return `Call quality: ${problem}`;
  }
  const grade = gradeOf(mos);
  return mos === null
    ? `Call quality: ${GRADE_WORD[grade]}`
    : `Call quality: ${GRADE_WORD[grade]} (MOS ${mos.toFixed(1)})`;
}
