/**
 * Charts drawn on the server as SVG with echarts' server-side renderer (no DOM, no client script), so a page is
 * readable without any chart library in the browser; each chart sits beside its data table, which is what screen
 * readers and the CSV download use. docs/statistics.md explains the choice.
 */
import * as echarts from 'echarts';

export interface Series {
  name: string;
  data: number[];
}

export interface BarChart {
  /** Short accessible name; the table beside the chart carries the figures. */
  label: string;
  categories: string[];
  series: Series[];
  /** Horizontal bars, for long category names (departments). */
  horizontal?: boolean;
  /** Values are shares 0–1, shown as percentages. */
  percent?: boolean;
  width?: number;
  height?: number;
}

// The portal's palette (public/css/site.css), dark enough for 3:1 against white.
const COLOURS = ['#1f5fa8', '#c0392b', '#2e7d32', '#8a5a00'];

/**
 * The SVG of a bar chart. echarts writes its hover styles in a <style> element and font settings in style
 * attributes; the portal's CSP (style-src 'self') would block both when the SVG is inlined, so the hover rules are
 * dropped (nothing is interactive) and the font settings become presentation attributes.
 */
export function barChartSvg(c: BarChart): string {
  const width = c.width ?? 720;
  const height = c.height ?? (c.horizontal ? Math.max(200, 60 + c.categories.length * 26) : 320);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    const valueAxis = {
      type: 'value' as const,
      axisLabel: { formatter: c.percent ? (v: number) => `${Math.round(v * 100)}%` : undefined },
      max: c.percent ? 1 : undefined,
    };
    const categoryAxis = {
      type: 'category' as const,
      data: c.categories,
      inverse: Boolean(c.horizontal),
      axisLabel: {
        interval: 0,
        width: c.horizontal ? 150 : undefined,
        overflow: 'truncate' as const,
        rotate: !c.horizontal && c.categories.length > 8 ? 40 : 0,
      },
    };
    chart.setOption({
      animation: false,
      color: COLOURS,
      textStyle: { fontFamily: 'sans-serif', fontSize: 12 },
      legend: c.series.length > 1 ? { top: 0 } : undefined,
      grid: { left: c.horizontal ? 170 : 56, right: 24, top: c.series.length > 1 ? 36 : 16, bottom: !c.horizontal && c.categories.length > 8 ? 64 : 32 },
      xAxis: c.horizontal ? valueAxis : categoryAxis,
      yAxis: c.horizontal ? categoryAxis : valueAxis,
      series: c.series.map((s) => ({ type: 'bar' as const, name: s.name, data: s.data })),
    });
    return cspSafe(chart.renderToSVGString(), c.label);
  } finally {
    chart.dispose();
  }
}

/** Strips the <style> element, turns style="" into presentation attributes, and names the image. */
export function cspSafe(svg: string, label: string): string {
  return svg
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_m, css: string) =>
      css
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const i = d.indexOf(':');
          const name = d.slice(0, i).trim();
          const value = d.slice(i + 1).trim();
          return /^[a-z-]+$/.test(name) ? ` ${name}="${value.replace(/"/g, '&quot;')}"` : '';
        })
        .join(''),
    )
    .replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(label)}" focusable="false" class="chart__svg" `);
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
