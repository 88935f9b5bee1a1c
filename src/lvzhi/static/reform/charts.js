/* Draws every [data-chart] element from the JSON block it names (<script type="application/json">,
   written by the page: the CSP allows no inline script). A click on a bar or point opens the
   records behind it. Spec: {type: bar|stacked|hbar, categories, series: [{name, data, links, marked, type}]}. */
(function () {
  "use strict";

  function option(spec) {
    var horizontal = spec.type === "hbar";
    var stacked = spec.type === "stacked";
    var many = spec.series.length > 1;
    var series = spec.series.map(function (s) {
      var kind = s.type === "line" ? "line" : "bar";
      var item = {
        name: s.name,
        type: kind,
        data: s.data.map(function (v, i) {
          var point = {value: v};
          if (s.marked && s.marked[i]) {
            point.itemStyle = {color: "#dc3545"};
          }
          return point;
        })
      };
      if (stacked && kind === "bar") {
        item.stack = "total";
      }
      return item;
    });
    // Long or many labels lean over so every category stays readable.
    var labelChars = spec.categories.join("").length;
    var category = {
      type: "category",
      data: spec.categories,
      axisLabel: {interval: 0, rotate: !horizontal && (spec.categories.length > 6 || labelChars > 28) ? 35 : 0}
    };
    var counts = spec.series.every(function (s) {
      return s.data.every(function (v) { return Math.round(v) === v; });
    });
    var value = counts ? {type: "value", minInterval: 1} : {type: "value"};
    return {
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      legend: {show: many, top: 0, type: "scroll"},
      grid: {left: horizontal ? 180 : 50, right: 24, top: many ? 40 : 16, bottom: horizontal ? 24 : 80},
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: series
    };
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || typeof echarts === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(el);
    chart.setOption(option(spec));
    chart.on("click", function (params) {
      var s = spec.series[params.seriesIndex];
      var url = s && s.links && s.links[params.dataIndex];
      if (url) {
        window.location.href = url;
      }
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
