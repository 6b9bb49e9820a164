import { Box, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useElementSize, useMergedRef } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { Clause, Incident, ObligationState } from '../../api/incidentTypes';
import { formatShortInstant } from '../../lib/instants';
import { placeAbove, placeLabel, tickLabel, ticks, timeScale } from '../../lib/timeline';
import { useLang } from '../../lib/useLang';

type Tone = 'occurred' | 'discovered' | 'notice' | 'ack' | 'containment' | 'request' | 'answer';
type Row =
  | { type: 'event'; key: string; at: number; label: string; tone: Tone }
  | {
      type: 'due';
      key: string;
      start: number;
      due: number;
      met: number | null;
      state: ObligationState;
      label: string;
    };

const color = (c: string) => `var(--mantine-color-${c})`;
const TONES: Record<Tone, string> = {
  occurred: color('grape-7'),
  discovered: color('red-7'),
  notice: color('indigo-6'),
  ack: color('teal-6'),
  containment: color('green-7'),
  request: color('orange-6'),
  answer: color('yellow-7'),
};
/** Short names of the Art 3 clauses; other clauses (an open set) show their title. */
const CLAUSE_KEY: Partial<Record<Clause, 'timeline.clause31' | 'timeline.clause33' | 'timeline.clause326'>> =
  {
    '3.1': 'timeline.clause31',
    '3.3': 'timeline.clause33',
    '3.2(6)': 'timeline.clause326',
  };
const ROW = 26;
/** A deadline takes two lines: its label, then its bar (so the label never covers the bar). */
const DUE_ROW = 40;
const TOP = 58;
/** Below this the picture scrolls sideways instead of squeezing the time axis further. */
const MIN_WIDTH = 320;
const FONT = 11;
const PAD = 12;
/** A white outline keeps labels readable where they cross grid lines and the now line. */
const HALO = { stroke: 'white', strokeWidth: 3, strokeLinejoin: 'round', paintOrder: 'stroke' } as const;

function useRows(incident: Incident): Row[] {
  const { t } = useTranslation();
  const { lang, pick } = useLang();
  const at = (s: string) => Date.parse(s);
  const when = (s: string) => ` ${formatShortInstant(s, lang)}`;
  const order: Partial<Record<Clause, number>> = { '3.1': 0, '3.3': 1, '3.2(6)': 2 };
  const rank = (c: Clause) => order[c] ?? Object.keys(order).length;
  const clauseName = (o: Incident['obligations'][number]) => {
    const key = CLAUSE_KEY[o.clause];
    return key ? t(key) : pick(o.title.ja, o.title.en);
  };
  const dues: Row[] = incident.obligations
    // Duties the dismissal made unnecessary have no deadline left to draw.
    .filter((o) => !(o.state === 'waived' && o.waived?.reason === 'incident_dismissed'))
    .sort((a, b) => rank(a.clause) - rank(b.clause) || at(a.dueAt) - at(b.dueAt))
    .map((o) => ({
      type: 'due',
      key: o.id,
      start: at(o.startsAt),
      due: at(o.dueAt),
      met: o.metAt ? at(o.metAt) : null,
      state: o.state,
      label: `${t('timeline.dueOf', { clause: clauseName(o) })}${when(o.dueAt)}`,
    }));
  const events: Row[] = [];
  const ev = (key: string, instant: string, label: string, tone: Tone) =>
    events.push({ type: 'event', key, at: at(instant), label: `${label}${when(instant)}`, tone });
  if (incident.occurredAt) ev('occurred', incident.occurredAt, t('timeline.occurred'), 'occurred');
  ev('discovered', incident.discoveredAt, t('timeline.discovered'), 'discovered');
  for (const n of incident.notices) {
    const label = pick(n.label.ja, n.label.en);
    ev(n.id, n.sentAt, t('timeline.sent', { label }), 'notice');
    if (n.acknowledgedAt) ev(`${n.id}-ack`, n.acknowledgedAt, t('timeline.acknowledged', { label }), 'ack');
  }
  for (const c of incident.containmentActions)
    ev(c.id, c.takenAt, t(`containment.kinds.${c.kind}`), 'containment');
  for (const r of incident.itemRequests) {
    ev(r.id, r.requestedAt, t('timeline.requested'), 'request');
    if (r.answeredAt) ev(`${r.id}-answer`, r.answeredAt, t('timeline.answered'), 'answer');
  }
  events.sort((a, b) => (a.type === 'event' && b.type === 'event' ? a.at - b.at : 0));
  return [...dues, ...events];
}

function dueColor(state: ObligationState, overdue: boolean): string {
  if (state === 'met') return color('green-6');
  if (state === 'met_late') return color('orange-6');
  if (state === 'waived') return color('gray-5');
  return overdue ? color('red-7') : color('blue-6');
}

/** One time axis (Japan time): discovery, notices, acknowledgements, measures, requests, due times, now. */
export function IncidentTimeline({ incident, nowMs }: { incident: Incident; nowMs: number }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  const { ref: sizeRef, width: measured } = useElementSize<HTMLDivElement>();
  const box = useRef<HTMLDivElement | null>(null);
  const ref = useMergedRef(sizeRef, box);
  const scrolled = useRef(false);
  const rows = useRows(incident);
  // As wide as its box (a phone's 358 px too), so no label is cut off at a scrolling edge.
  const width = Math.max(MIN_WIDTH, Math.round(measured) || 760);
  const tops: number[] = [];
  let bottom = TOP;
  for (const r of rows) {
    tops.push(bottom);
    bottom += r.type === 'due' ? DUE_ROW : ROW;
  }
  const height = bottom + 8;
  const instants = [nowMs, ...rows.flatMap((r) => (r.type === 'event' ? [r.at] : [r.start, r.due]))];
  const scale = timeScale(instants, PAD, width - PAD);
  const axis = ticks(scale, Math.floor(width / 95));
  // Ticks whose two-line label would be cut by the edge of the picture are left out.
  const tickAt = axis.at.filter((at) => scale.x(at) >= 18 && scale.x(at) <= width - 18);
  const bounds = { left: 2, right: width - 2 };
  const nowX = scale.x(nowMs);
  const scrolls = measured > 0 && width > measured;

  // On a narrow screen, open the picture at "now" (the recent end) rather than at its start.
  useEffect(() => {
    const el = box.current;
    if (!el || !scrolls || scrolled.current) return;
    scrolled.current = true;
    el.scrollLeft = Math.max(0, nowX - el.clientWidth * 0.7);
  }, [scrolls, nowX]);

  return (
    <Paper withBorder p="md" radius="md" data-testid="incident-timeline">
      <Stack gap="xs">
        <Title order={3}>{t('timeline.title')}</Title>
        <Group gap="md">
          <Text size="xs" c="dimmed">
            ● {t('timeline.legendEvent')}
          </Text>
          <Text size="xs" c="dimmed">
            ◆ {t('timeline.legendDue')}
          </Text>
          <Text size="xs" c="red.7">
            ┆ {t('timeline.legendNow')}
          </Text>
          {scrolls && (
            <Text size="xs" c="dimmed">
              ↔ {t('timeline.scrollHint')}
            </Text>
          )}
        </Group>
        <Box
          ref={ref}
          style={{ overflowX: 'auto', WebkitOverflowScrolling: 'touch' }}
          // A box that scrolls must be reachable by keyboard (WCAG 2.1.1).
          tabIndex={scrolls ? 0 : undefined}
          role={scrolls ? 'region' : undefined}
          aria-label={scrolls ? t('timeline.aria') : undefined}
        >
          <svg
            width={width}
            height={height}
            viewBox={`0 0 ${width} ${height}`}
            role="img"
            aria-label={t('timeline.aria')}
            style={{ display: 'block', fontFamily: 'inherit' }}
          >
            <title>{t('timeline.aria')}</title>
            {tickAt.map((tick, i) => {
              const x = scale.x(tick);
              const [day, time] = tickLabel(tick, i === 0 ? null : tickAt[i - 1]!, axis.step, lang);
              return (
                <g key={tick}>
                  <line x1={x} x2={x} y1={TOP - 6} y2={height} stroke={color('gray-3')} strokeWidth={1} />
                  <text
                    x={x}
                    y={14}
                    fontSize={FONT}
                    textAnchor="middle"
                    fill={color('gray-7')}
                    fontWeight={600}
                  >
                    {day}
                  </text>
                  <text x={x} y={28} fontSize={FONT} textAnchor="middle" fill={color('gray-6')}>
                    {time}
                  </text>
                </g>
              );
            })}
            <line
              x1={nowX}
              x2={nowX}
              y1={TOP - 8}
              y2={height}
              stroke={color('red-6')}
              strokeWidth={1.5}
              strokeDasharray="4 3"
            />
            <text
              x={nowX}
              y={TOP - 13}
              fontSize={FONT}
              textAnchor="middle"
              fill={color('red-7')}
              fontWeight={700}
            >
              {t('timeline.now')}
            </text>
            {rows.map((r, i) => {
              const top = tops[i]!;
              if (r.type === 'event') {
                const y = top + ROW / 2;
                const x = scale.x(r.at);
                const l = placeLabel(x, r.label, FONT, bounds);
                return (
                  <g key={r.key} data-row="event">
                    <circle cx={x} cy={y} r={5} fill={TONES[r.tone]} />
                    <text
                      x={l.x}
                      y={y + 4}
                      fontSize={FONT}
                      textAnchor={l.anchor}
                      fill={color('dark-7')}
                      {...HALO}
                    >
                      {r.label}
                    </text>
                  </g>
                );
              }
              const y = top + DUE_ROW - 11;
              const x0 = scale.x(r.start);
              const x1 = scale.x(r.due);
              const overdue = (r.state === 'open' || r.state === 'breached') && nowMs > r.due;
              const c = dueColor(r.state, overdue);
              // The label sits on the line above the bar and ends at the deadline's marker.
              const labelX = placeAbove(x1, r.label, FONT, bounds);
              return (
                <g key={r.key} data-row="due">
                  <rect
                    x={x0}
                    y={y - 3}
                    width={Math.max(1, x1 - x0)}
                    height={6}
                    rx={3}
                    fill={c}
                    opacity={0.3}
                  />
                  <path
                    d={`M ${x1} ${y - 7} L ${x1 + 7} ${y} L ${x1} ${y + 7} L ${x1 - 7} ${y} Z`}
                    fill={c}
                  />
                  {r.met !== null && (
                    <circle
                      cx={scale.x(r.met)}
                      cy={y}
                      r={4}
                      fill="white"
                      stroke={color('green-7')}
                      strokeWidth={2}
                    />
                  )}
                  <text
                    x={labelX}
                    y={top + 13}
                    fontSize={FONT}
                    textAnchor="start"
                    fill={overdue ? color('red-8') : color('dark-7')}
                    fontWeight={overdue ? 700 : 400}
                    {...HALO}
                  >
                    {r.label}
                  </text>
                </g>
              );
            })}
          </svg>
        </Box>
      </Stack>
    </Paper>
  );
}
