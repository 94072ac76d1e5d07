/* The cockpit's own script: draw the charts, follow a clicked chart mark, speak Chinese, fit
   charts to paper.

   Charts come from dashboards/charts.py::render as a <div class="cockpit-chart"> and the
   figure's JSON in a <script type="application/json"> beside it (the Content-Security-Policy
   runs no inline script). They are drawn when the page is ready and whenever htmx brings new
   content in (a lazy tile, a filter change); every clickable point carries its destination
   URL in customdata. Loaded in <head> after plotly.min.js; the print button is
   <button data-print>. */
(function () {
  "use strict";

  // plotly.js ships only English; its own words (mode bar, hover) in Chinese.
  if (window.Plotly) {
    window.Plotly.register({
      moduleType: "locale",
      name: "zh-CN",
      dictionary: {
        "Autoscale": "自动缩放",
        "Box Select": "矩形选择",
        "Download plot as a png": "下载图片",
        "Download plot": "下载图片",
        "Lasso Select": "套索选择",
        "Pan": "平移",
        "Reset axes": "重置坐标轴",
        "Reset view": "重置视图",
        "Toggle Spike Lines": "显示或隐藏参考线",
        "Toggle show closest data on hover": "悬停显示最近数据",
        "Show closest data on hover": "悬停显示最近数据",
        "Compare data on hover": "悬停比较数据",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "Double-click to zoom back out": "双击还原",
        "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
        "Snapshot succeeded": "图片已生成",
        "Sorry, there was a problem downloading your snapshot!": "抱歉，图片下载失败",
        "trace": "系列"
      },
      format: {
        days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        shortDays: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        months: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
        shortMonths: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
        date: "%Y-%m-%d",
        decimal: ".",
        thousands: ","
      }
    });
  }

  function follow(event) {
    var point = event && event.points && event.points[0];
    if (!point) return;
    var url = point.customdata;
    if (Array.isArray(url)) url = url[0];
    if (typeof url === "string" && url.charAt(0) === "/") window.location.assign(url);
  }

  // A4 landscape with 10 mm margins (cockpit.css @page) is 277 mm = 1047 CSS px wide; the
  // tiles print two by two. The paper's layout is not there yet when "beforeprint" fires, so
  // each chart is redrawn at the width its tile will have on paper, and back afterwards.
  var PAPER_WIDTH = 1047;
  var TILE_CHROME = 16;  // padding and border of a tile, and half the gap between tiles

  function charts() {
    return document.querySelectorAll(".cockpit .js-plotly-plot");
  }

  function fitToPaper() {
    if (!window.Plotly) return;
    charts().forEach(function (gd) {
      var single = gd.closest(".cockpit.single");
      var width = single ? PAPER_WIDTH - TILE_CHROME : PAPER_WIDTH / 2 - TILE_CHROME;
      window.Plotly.relayout(gd, { width: Math.floor(width) });
    });
  }

  function fitToScreen() {
    if (!window.Plotly) return;
    charts().forEach(function (gd) {
      window.Plotly.relayout(gd, { width: null, autosize: true });
    });
  }

  function draw(gd) {
    if (!window.Plotly || gd.dataset.drawn) return;
    var island = document.getElementById(gd.dataset.figure);
    if (!island) return;
    gd.dataset.drawn = "1";
    var spec = JSON.parse(island.textContent);
    var layout = spec.figure.layout || {};
    layout.height = layout.height || spec.height;
    gd.style.height = layout.height + "px";
    window.Plotly.newPlot(gd, spec.figure.data || [], layout, spec.config).then(function () {
      gd.on("plotly_click", follow);
    });
  }

  function drawIn(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches(".cockpit-chart")) draw(root);
    root.querySelectorAll(".cockpit-chart").forEach(draw);
  }

  window.Cockpit = { drawIn: drawIn };

  document.addEventListener("DOMContentLoaded", function () { drawIn(document); });
  // htmx: a lazy tile or a filtered cockpit has been swapped in and laid out.
  document.addEventListener("htmx:afterSettle", function (event) { drawIn(event.detail.elt); });
  document.addEventListener("htmx:load", function (event) { drawIn(event.detail.elt); });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  window.addEventListener("beforeprint", fitToPaper);
  window.addEventListener("afterprint", fitToScreen);
})();
