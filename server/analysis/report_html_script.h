// The HTML report's own script: draws the five charts with Chart.js from the JSON that
// report_html.cpp embeds. Kept apart from the page builder so the C++ stays readable.
#pragma once

#include <string_view>

namespace provenant::analysis {

/// Runs once, synchronously, at the end of <body> (Chart.js is loaded above it). Animations
/// are off, so every chart is drawn when this returns (printing and the browser test rely on
/// it). A chart with nothing to show is replaced by a sentence saying so. It must contain no
/// "</script".
inline constexpr std::string_view kReportHtmlScript = R"js(
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var report = data.report || {};
  var CLASSES = ['ai', 'ai_modified', 'human', 'paste', 'unknown'];
  var REWORK_TO = ['human', 'ai', 'paste', 'unknown', 'deleted'];
  var STEPS = ['generated', 'committed', 'merged', 'released', 'alive'];
  var CLASS_COLOURS = {ai: '#2f6fde', ai_modified: '#8e5bd9', human: '#2a9d5b', paste: '#d4a106',
                       unknown: '#8a94a6', deleted: '#d9534f'};
  var SERIES = ['#2f6fde', '#e0603a', '#2a9d5b', '#b84fc4', '#d4a106', '#1aa3a3', '#7a6cd6',
                '#c23b5a'];
  var SHARE_COLOUR = '#e0603a';

  function num(v) { return typeof v === 'number' && isFinite(v) ? v : 0; }
  function get(o, path) {
    return path.split('.').reduce(function (x, k) {
      return x !== null && typeof x === 'object' ? x[k] : undefined;
    }, o);
  }
  function field(g, path) {
    var v = get(g, path);
    if (v === undefined && g && g.totals) v = get(g.totals, path);
    return v;
  }
  var KEY_ORDER = ['tool', 'model', 'session', 'author', 'team', 'path', 'ext', 'month', 'week'];
  function label(g) {
    var k = (g && g.key) || {};
    var names = Object.keys(k).sort(function (a, b) {
      var ia = KEY_ORDER.indexOf(a), ib = KEY_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
    });
    if (!names.length) return '(all)';
    return names.map(function (n) { return k[n] === null ? '(none)' : String(k[n]); }).join(' / ');
  }
  function sum(list) { return list.reduce(function (a, b) { return a + b; }, 0); }
  function groups(name) { return Array.isArray(data[name]) ? data[name] : []; }
  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function theme(print) {
    Chart.defaults.color = print ? '#000000' : css('--fg');
    Chart.defaults.borderColor = print ? '#bbbbbb' : css('--grid');
  }
  theme(false);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

  var charts = [];
  function draw(id, config, hasData, why) {
    var canvas = document.getElementById(id);
    if (!hasData) {
      var p = document.createElement('div');
      p.className = 'empty';
      p.textContent = why;
      canvas.parentNode.replaceChild(p, canvas);
      return;
    }
    charts.push(new Chart(canvas, config));
  }
  function axis(title, extra) {
    var a = {beginAtZero: true, title: {display: true, text: title}};
    for (var k in extra) a[k] = extra[k];
    return a;
  }

  // 1. The funnel, one series per tool (or the whole selection when there are no tools).
  (function () {
    var tools = groups('by_tool');
    if (!tools.length) tools = [{key: {}, funnel: report.funnel}];
    // Tools with no AI line in the selection (the group of lines with no tool) are left out.
    var sets = tools.map(function (g) {
      return {label: label(g), data: STEPS.map(function (s) { return num(field(g, 'funnel.' + s)); })};
    }).filter(function (s) { return sum(s.data) > 0; });
    sets.forEach(function (s, i) { s.backgroundColor = s.borderColor = SERIES[i % SERIES.length]; });
    var any = sets.length > 0;
    draw('chart-funnel', {type: 'bar', data: {labels: STEPS, datasets: sets},
                          options: {scales: {y: axis('AI lines')}}},
         any, 'No AI lines in this selection.');
  })();

  // 2. Lines added by class per period (bars), and the AI share (line, right axis).
  (function () {
    var key = data.period === 'month' ? 'month' : 'week';
    var periods = groups('by_period').slice().sort(function (a, b) {
      return String(a.key && a.key[key]).localeCompare(String(b.key && b.key[key]));
    });
    var labels = periods.map(function (g) { return g.key && g.key[key] !== null ? String(g.key[key]) : '(none)'; });
    var sets = CLASSES.map(function (c) {
      return {type: 'bar', label: c, stack: 'lines', yAxisID: 'y', backgroundColor: CLASS_COLOURS[c],
              borderColor: CLASS_COLOURS[c],
              data: periods.map(function (g) { return num(field(g, 'lines_added.' + c)); })};
    });
    var share = periods.map(function (g) {
      var all = sum(CLASSES.map(function (c) { return num(field(g, 'lines_added.' + c)); }));
      var ai = num(field(g, 'lines_added.ai')) + num(field(g, 'lines_added.ai_modified'));
      return all > 0 ? Math.round(1000 * ai / all) / 10 : null;
    });
    sets.push({type: 'line', label: 'AI share (%)', yAxisID: 'y1', data: share, borderWidth: 2,
               backgroundColor: SHARE_COLOUR, borderColor: SHARE_COLOUR, pointRadius: 3});
    var any = sets.slice(0, CLASSES.length).some(function (s) { return sum(s.data) > 0; });
    draw('chart-share', {type: 'bar', data: {labels: labels, datasets: sets},
                         options: {scales: {x: {stacked: true},
                                            y: axis('lines added', {stacked: true}),
                                            y1: axis('AI share (%)', {position: 'right', max: 100,
                                                                      grid: {drawOnChartArea: false}})}}},
         any, 'No lines added in this selection.');
  })();

  // 3. Kaplan-Meier survival of AI and human lines.
  (function () {
    function curve(s) {
      return (Array.isArray(s && s.curve) ? s.curve : []).map(function (p) {
        return {x: num(p.day), y: Math.round(1000 * num(p.share)) / 10};
      });
    }
    var surv = report.survival || {};
    var sets = [{label: 'AI lines', data: curve(surv), colour: CLASS_COLOURS.ai},
                {label: 'human lines', data: curve(surv.human), colour: CLASS_COLOURS.human}]
      .filter(function (s) { return s.data.length > 0; })
      .map(function (s) {
        return {label: s.label, data: s.data, stepped: true, borderWidth: 2, pointRadius: 3,
                backgroundColor: s.colour, borderColor: s.colour};
      });
    draw('chart-survival', {type: 'line', data: {datasets: sets},
                            options: {scales: {x: axis('days after merge', {type: 'linear'}),
                                               y: axis('% still alive', {max: 100})}}},
         sets.length > 0, 'No merged lines to follow.');
  })();

  // 4. The rework matrix: reworked lines by their class (bars) and who replaced them (stacks).
  (function () {
    var m = get(report, 'rework.matrix') || {};
    var sets = REWORK_TO.map(function (to) {
      return {label: 'by ' + to, stack: 'rework', backgroundColor: CLASS_COLOURS[to],
              borderColor: CLASS_COLOURS[to],
              data: CLASSES.map(function (from) { return num(m[from] && m[from][to]); })};
    });
    var any = sets.some(function (s) { return sum(s.data) > 0; });
    draw('chart-rework', {type: 'bar', data: {labels: CLASSES, datasets: sets},
                          options: {scales: {x: {stacked: true}, y: axis('lines reworked', {stacked: true})}}},
         any, 'No lines were reworked within the window.');
  })();

  // 5. Spend per tool and model (left axis) and cost per alive AI line (right axis).
  (function () {
    var gs = groups('by_tool_model').filter(function (g) { return num(field(g, 'spend.cost_usd')) > 0; });
    var labels = gs.map(label);
    var sets = [{label: 'cost (USD)', yAxisID: 'y', backgroundColor: SERIES[0], borderColor: SERIES[0],
                 data: gs.map(function (g) { return num(field(g, 'spend.cost_usd')); })},
                {label: 'cost per alive AI line (USD)', yAxisID: 'y1', backgroundColor: SERIES[1],
                 borderColor: SERIES[1],
                 data: gs.map(function (g) {
                   var v = field(g, 'spend.cost_per_alive_ai_line');
                   return typeof v === 'number' ? v : null;
                 })}];
    draw('chart-spend', {type: 'bar', data: {labels: labels, datasets: sets},
                         options: {scales: {x: {ticks: {autoSkip: false}}, y: axis('USD'),
                                            y1: axis('USD per alive AI line', {position: 'right',
                                                                              grid: {drawOnChartArea: false}})}}},
         gs.length > 0, 'No recorded spend in this selection.');
  })();

  function redraw(print) {
    theme(print);
    charts.forEach(function (c) { c.update(); });
  }
  if (window.matchMedia) {
    var dark = window.matchMedia('(prefers-color-scheme: dark)');
    if (dark.addEventListener) dark.addEventListener('change', function () { redraw(false); });
  }
  window.addEventListener('beforeprint', function () { redraw(true); });
  window.addEventListener('afterprint', function () { redraw(false); });
})();
)js";

} // namespace provenant::analysis
