// The metric names a /metrics endpoint exports, read from its Prometheus text exposition. Names
// come from the `# TYPE` lines, so a labelled counter that has not counted yet still counts as
// exported; histograms and summaries expand to the series names PromQL selects.
export function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(
      line.trim(),
    );
    if (!m) continue;
    const [, name = '', type] = m;
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    else if (type === 'summary') for (const s of ['', '_sum', '_count']) names.add(name + s);
    else names.add(name);
  }
  return names;
}
