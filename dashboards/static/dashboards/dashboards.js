// The dashboard's charts (Apache ECharts, SVG renderer), drawn from the figures the page
// carries as JSON (json_script): no inline script, so the strict CSP holds. Each chart's
// numbers are also in the table beside it, which is what print and screen readers use.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("dashboard-charts");
  if (!source || !window.echarts) {
    return;
  }
  const charts = JSON.parse(source.textContent);
  // The page's own text size (18 px on large text), never below 16 px.
  const fontSize = Math.max(16, parseFloat(getComputedStyle(document.body).fontSize) || 16);
  const drawn = [];
  charts.forEach((figure) => {
    const el = document.querySelector(`[data-chart="${figure.key}"]`);
    if (!el || figure.categories.length === 0) {
      return;
    }
    const rows = figure.categories.length;
    const height = figure.horizontal ? Math.max(240, 80 + rows * 44 + figure.series.length * 24) : 360;
    el.style.height = `${height}px`;
    const chart = window.echarts.init(el, null, { renderer: "svg" });
    const categoryAxis = {
      type: "category",
      data: figure.categories,
      inverse: figure.horizontal,
      axisLabel: { fontSize, width: 140, overflow: "truncate", interval: 0 },
    };
    const valueAxis = { type: "value", axisLabel: { fontSize } };
    chart.setOption({
      animation: false,
      textStyle: { fontSize },
      // richText: the tooltip is drawn in the SVG, not as HTML with inline styles (the CSP forbids those).
      tooltip: { trigger: "axis", renderMode: "richText", textStyle: { fontSize } },
      legend: { top: 0, type: "scroll", textStyle: { fontSize } },
      grid: { top: 48, left: 8, right: 16, bottom: 8, containLabel: true },
      xAxis: figure.horizontal ? valueAxis : categoryAxis,
      yAxis: figure.horizontal ? categoryAxis : valueAxis,
      series: figure.series.map((s) => ({
        name: s.name,
        type: figure.kind === "line" ? "line" : "bar",
        stack: figure.kind === "stacked" ? "total" : undefined,
        data: s.data,
      })),
    });
    el.dataset.chartReady = "true";
    drawn.push(chart);
  });
  window.addEventListener("resize", () => drawn.forEach((chart) => chart.resize()));
  window.addEventListener("beforeprint", () => drawn.forEach((chart) => chart.resize()));
});
