/**
 * The Run part of summary.md and report.html for a run from a workload says what the run did (the
 * workload, its streams, the target and each profile's settings), never the scenario's options, which
 * did nothing in such a run.
 */
import { describe, expect, it } from 'vitest';
import type { RunResults } from '../model/results.ts';
import { renderReportHtml } from './html/page.ts';
import { reportResultsOf } from './html/input.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown, workloadRunMarkdown } from './markdown.ts';
import { renderTerminal } from './terminal.ts';
import { recordedDefaultRun, shopWorkloadResults } from './testing.ts';
import { profileSettingsTable, streamDefinitionsTable } from './run-description.ts';

/** What only the scenario's own load has: its options by name, and its words. */
const SEED_OPTIONS = ['imports', 'artifacts', 'catalogRate', 'readRate', 'workflowRate', 'writerThreads', 'writerMaxInFlight', 'importRate', 'prepareMs', 'writeMs'];
const SEED_WORDS = /catalog|import|artifact|workflow/i;

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

async function htmlRunSection(results: RunResults): Promise<string> {
  const html = await renderReportHtml({ results: reportResultsOf(results), timelines: [] });
  const section = /<section id="run"[^>]*>[\s\S]*?<\/section>/.exec(html);
  expect(section, 'report.html has a Run section').not.toBeNull();
  return section![0];
}

function markdownRunSection(results: RunResults): string {
  const markdown = renderMarkdown(results);
  const at = markdown.indexOf('\n## Run\n');
  expect(at, 'summary.md has a Run section').toBeGreaterThan(0);
  return markdown.slice(at);
}

/** A run section says nothing of the scenario: no option of it by name, none of its words. */
function expectNoSeed(section: string): void {
  for (const option of SEED_OPTIONS) expect(section).not.toMatch(new RegExp(`\\b${option}\\b`));
  expect(section).not.toMatch(SEED_WORDS);
}

describe("a workload run's Run section", () => {
  it('report.html lists the workload, each stream as it ran, the target and each profile\'s settings, and no option of the scenario', async () => {
    const section = text(await htmlRunSection(shopWorkloadResults()));
    expectNoSeed(section);
    for (const expected of ['shop', 'examples/shop/workload.yaml', 'orders at 50/s while stock is restocked every 2 s', 'django-shop', 'examples/shop/target.json']) {
      expect(section).toContain(expected);
    }
    expect(section).toContain('/usr/bin/gunicorn shop.wsgi --bind 127.0.0.1:{port} --workers 2');
    for (const stream of ['orders', 'restock', 'stock-report']) expect(section).toContain(stream);
    expect(section).toContain('constant-arrival-rate');
    expect(section).toContain('50/s (50 to 250\u00a0VUs)');
    expect(section).toContain('until 1\u00a0s after restock ends (2\u00a0min at most)');
    expect(section).toContain('POST /orders/{order}');
    expect(section).toContain('1\u00a0VU x 5\u00a0iterations');
    expect(section).toContain('after 500\u00a0ms');
    expect(section).toContain('exclusive transactions with no statement (a lock holder), held open 200\u00a0ms, 1\u00a0thread');
    expect(section).toContain('transactionMode=deferred workers=2');
    expect(section).toContain('BEGIN IMMEDIATE: wait for the write lock up front');
    expect(section).toContain('gunicorn worker processes');
  });

  it('summary.md ends with the same: the workload, its streams, the target, each profile\'s settings, and no option of the scenario', () => {
    const section = markdownRunSection(shopWorkloadResults());
    expectNoSeed(section);
    expect(section).toContain('- workload: shop');
    expect(section).toContain('- workload file: examples/shop/workload.yaml');
    expect(section).toContain('- streams: orders, restock, stock-report');
    expect(section).toContain('- target: django-shop');
    expect(section).toMatch(/\| orders \| http \| constant-arrival-rate \| 50\/s .* \| at once \| until .* \| POST \/orders\/\{order\} \|/);
    expect(section).toMatch(/\| stock-report \| sql \| constant-arrival-rate \| 1\/s \| at once \| for 10\u00a0s \| exclusive transactions/);
    expect(section).toContain('| immediate | yes | BEGIN IMMEDIATE: wait for the write lock up front | transactionMode=immediate workers=2 |');
  });

  it('names the streams from their figures, and still no option of the scenario, in results written before the streams were kept', async () => {
    const results = shopWorkloadResults();
    delete results.targetDescription;
    for (const p of results.profiles) delete p.workload!.definition;
    for (const section of [text(await htmlRunSection(results)), markdownRunSection(results)]) {
      expectNoSeed(section);
      for (const stream of ['orders', 'restock', 'stock-report']) expect(section).toContain(stream);
      expect(section).toContain('examples/shop/target.json');
    }
  });

  it("gives the default run's load as its seed workload's streams: what the scenario's options set", async () => {
    const results = recordedDefaultRun();
    const section = text(await htmlRunSection(results));
    // --imports 5, --catalog-rate 20, --read-rate 5, --workflow-rate 20 and --writer-threads 2, as the streams ran them.
    // The load column keeps its figures together with no-break spaces.
    const plain = section.replace(/\u00a0/g, ' ');
    for (const said of ['5 VUs x 1 iteration', 'PATCH /api/marketplace/catalog/{entry}', '20/s (400 to 1,200 VUs)', '5/s (100 to 300 VUs)', 'immediate transactions, 2 threads']) {
      expect(plain).toContain(said);
    }
    expect(renderMarkdown(results)).toContain('| workflow | sql | constant-arrival-rate | 20/s | at once |');
  });
});

describe("a workload sweep's Run section", () => {
  it('lists the values a sweep gave a stream in run order, and each trial with its settings, the base profile\'s summary once', () => {
    const [deferred, immediate] = shopWorkloadResults().profiles;
    const orders = (rate: number) => ({ ...deferred!.workload!.definition!.streams[0]!, executor: { ...deferred!.workload!.definition!.streams[0]!.executor, rate } as never });
    const trial = (name: string, rate: number) => ({ ...immediate!, name, workload: { ...immediate!.workload!, definition: { description: null, streams: [orders(rate), ...immediate!.workload!.definition!.streams.slice(1)] } } });
    const input = { options: {}, runs: [trial('rate-8.r1', 8), trial('rate-16.r1', 16), trial('rate-8.r2', 8)], baseProfile: 'immediate' };
    const { rows } = streamDefinitionsTable(input);
    expect(rows.map((r) => r[0])).toEqual(['orders', 'restock', 'stock-report']);
    expect(rows[0]![3]).toBe('8/s (50 to 250\u00a0VUs); 16/s (50 to 250\u00a0VUs)');
    expect(rows[1]![3]).toBe('1\u00a0VU x 5\u00a0iterations');
    expect(profileSettingsTable(input)).toEqual({
      header: ['trial', 'gated', 'settings'],
      rows: ['rate-8.r1', 'rate-16.r1', 'rate-8.r2'].map((t) => [t, 'yes', 'transactionMode=immediate workers=2']),
    });
    // summary.md of the sweep: the trials by id, the base profile once, no option of the scenario.
    const shop = shopWorkloadResults();
    const trials = input.runs.map(({ name, ...t }) => ({ ...t, name: 'immediate', id: name }));
    const markdown = workloadRunMarkdown({ options: shop.options, targetDescription: shop.targetDescription!, profiles: [], trials, plan: { base: 'immediate' } }).join('\n');
    expectNoSeed(markdown);
    expect(markdown).toContain('- base profile: immediate: BEGIN IMMEDIATE: wait for the write lock up front');
    expect(markdown).toContain('- streams: orders, restock, stock-report (some figures varied by the sweep)');
    expect(markdown).toContain('| rate-16.r1 | yes | transactionMode=immediate workers=2 |');
  });
});

describe('a run from a workload in its own words only', () => {
  it('says none of the scenario\'s words anywhere in the terminal, summary.md, junit.xml or report.html', async () => {
    const results = shopWorkloadResults();
    const html = await renderReportHtml({ results: reportResultsOf(results), timelines: [] });
    const page = text(html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<svg[\s\S]*?<\/svg>/g, ''));
    for (const [report, output] of Object.entries({ terminal: renderTerminal(results), summary: renderMarkdown(results), junit: renderJunit(results), html: page })) {
      expect(output, report).not.toMatch(SEED_WORDS);
      expect(output, report).toContain(report === 'junit' ? 'orders-p99' : 'stock-report');
    }
  });
});

describe("a workload run's junit.xml", () => {
  it('names its suites after the workload, not the scenario', () => {
    const junit = renderJunit(shopWorkloadResults());
    expect(junit).toContain('<testsuites name="lockbench workload shop"');
    expect(junit).toContain('<testsuite name="lockbench.shop.immediate"');
    expect(junit).not.toContain('concurrent');
    expect(junit).not.toMatch(SEED_WORDS);
  });
});
