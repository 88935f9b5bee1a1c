/* Charts of the 12345 hotline pages. Each chart is a <div class="hotline-chart" data-chart="KIND"
   data-source="ID">; its data is the JSON in <script type="application/json" id="ID"> (the page's
   CSP allows no inline scripts). */
(function () {
  "use strict";

  function data(el) {
    var source = document.getElementById(el.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  function line(name, values, axis) {
    return { name: name, type: "line", yAxisIndex: axis || 0, smooth: true, connectNulls: true, data: values };
  }

  var builders = {
    volume: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { data: ["受理量"] },
        grid: { left: 50, right: 20, top: 30, bottom: 40 },
        xAxis: { type: "category", data: d.months },
        yAxis: { type: "value", name: "件" },
        series: [{ name: "受理量", type: "bar", data: d.received }]
      };
    },
    rates: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
        legend: { data: ["按时办结率", "满意率", "退单率", "重复诉求率"] },
        grid: { left: 50, right: 20, top: 40, bottom: 40 },
        xAxis: { type: "category", data: d.months },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [line("按时办结率", d.on_time_rate), line("满意率", d.satisfaction_rate),
                 line("退单率", d.return_rate), line("重复诉求率", d.repeat_rate)]
      };
    },
    months: function (d) {
      return {
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 10, top: 20, bottom: 40 },
        xAxis: { type: "category", data: d.months },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ name: "工单", type: "bar", data: d.tickets }]
      };
    },
    topics: function (d) {
      // Horizontal bars, the hottest topic on top.
      return {
        tooltip: {
          trigger: "axis", axisPointer: { type: "shadow" },
          formatter: function (p) {
            var i = p[0].dataIndex;
            return p[0].name + "：约 " + p[0].value + " 件（" + d.shares[d.shares.length - 1 - i] + "%）";
          }
        },
        grid: { left: 10, right: 40, top: 10, bottom: 20, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: d.topics.slice().reverse(), axisLabel: { width: 220, overflow: "truncate" } },
        series: [{ name: "约计件数", type: "bar", data: d.counts.slice().reverse(), label: { show: true, position: "right" } }]
      };
    },
    matrix: function (d) {
      var max = d.cells.reduce(function (m, c) { return Math.max(m, c[2]); }, 1);
      return {
        tooltip: {
          formatter: function (p) {
            return d.departments[p.value[1]] + " → " + d.departments[p.value[0]] + "：" + p.value[2] + " 次";
          }
        },
        grid: { left: 130, right: 20, top: 20, bottom: 130 },
        xAxis: { type: "category", data: d.departments, axisLabel: { rotate: 60, interval: 0 } },
        yAxis: { type: "category", data: d.departments, axisLabel: { interval: 0 } },
        visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0 },
        series: [{ type: "heatmap", data: d.cells, label: { show: d.departments.length <= 12 } }]
      };
    }
  };

  function draw() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll(".hotline-chart").forEach(function (el) {
      var build = builders[el.dataset.chart];
      var d = data(el);
      if (!build || !d) { return; }
      var chart = echarts.init(el);
      chart.setOption(build(d));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
