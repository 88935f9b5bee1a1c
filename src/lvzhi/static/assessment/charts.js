/* Assessment charts (ECharts). No inline scripts (CSP): data comes from a JSON endpoint
   (the dashboard's data-url) or a <script type="application/json"> block (#trend-data). */
(function () {
  "use strict";

  function num(v) { return v === null || v === undefined ? null : Number(v); }

  function trendOption(trend) {
    return {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: trend.periods },
      yAxis: { type: "value", min: 0, max: 100, name: "得分" },
      series: trend.series.map(function (s) {
        return { name: s.name, type: "line", connectNulls: true, data: s.data.map(num) };
      })
    };
  }

  function renderTrend(el, trend) {
    if (!el) { return; }
    var chart = echarts.init(el);
    if (!trend.periods.length) {
      chart.setOption({ title: { text: "暂无已发布的评估结果", left: "center", top: "middle", textStyle: { color: "#999", fontSize: 14 } } });
      return;
    }
    chart.setOption(trendOption(trend));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function dashboard(root) {
    var drill = echarts.init(document.getElementById("drill-chart"));
    var stars = echarts.init(document.getElementById("stars-chart"));
    var title = document.getElementById("drill-title");
    var note = document.getElementById("drill-note");
    var up = document.getElementById("drill-up");
    var data = null;
    var stack = [];

    function bar(names, values, extra) {
      drill.clear();
      drill.setOption(Object.assign({
        tooltip: { trigger: "axis" },
        grid: { left: 50, right: 20, top: 30, bottom: 90 },
        xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 35 : 0 } },
        yAxis: { type: "value", name: "分" },
        series: [{ type: "bar", data: values, label: { show: true, position: "top" } }]
      }, extra || {}));
    }

    function showCategories() {
      stack = [];
      up.classList.add("d-none");
      title.textContent = "各类部门平均得分";
      note.textContent = data.campaign.results_visible ? "" : "评估结果尚未发布，发布后显示得分。";
      bar(data.categories.map(function (c) { return c.name; }), data.categories.map(function (c) { return num(c.average); }));
    }

    function showDepartments(category) {
      stack = [category];
      up.classList.remove("d-none");
      title.textContent = category.name + " · 各部门综合得分";
      note.textContent = "";
      bar(category.departments.map(function (d) { return d.name; }), category.departments.map(function (d) { return num(d.total); }));
    }

    function showCriteria(category, department) {
      stack = [category, department];
      title.textContent = department.name + " · 各项评估标准加权得分";
      if (!department.criteria) {
        note.textContent = "仅可查看本部门的评估标准明细。";
        drill.clear();
        return;
      }
      note.textContent = "点击柱条查看该标准的自评、评审和计算过程。";
      var names = department.criteria.map(function (c) { return c.code; });
      bar(names, department.criteria.map(function (c) { return num(c.points); }), {
        legend: { top: 0 },
        tooltip: { trigger: "axis", formatter: function (items) {
          var c = department.criteria[items[0].dataIndex];
          return c.code + " " + c.name + "（" + c.aspect + "）<br>加权得分 " + (c.points === null ? "—" : c.points) + " / " + c.max;
        } },
        series: [
          { name: "加权得分", type: "bar", data: department.criteria.map(function (c) { return num(c.points); }), label: { show: true, position: "top" } },
          { name: "加权满分", type: "bar", data: department.criteria.map(function (c) { return num(c.max); }), itemStyle: { opacity: 0.35 } }
        ]
      });
    }

    drill.on("click", function (params) {
      if (stack.length === 0) {
        showDepartments(data.categories[params.dataIndex]);
      } else if (stack.length === 1) {
        showCriteria(stack[0], stack[0].departments[params.dataIndex]);
      } else if (stack[1].criteria) {
        window.location.href = stack[1].criteria[params.dataIndex].url;
      }
    });
    up.addEventListener("click", function () {
      if (stack.length === 2) { showDepartments(stack[0]); } else { showCategories(); }
    });

    fetch(root.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (json) {
        data = json;
        showCategories();
        stars.setOption({
          tooltip: { trigger: "item" },
          series: [{ type: "pie", radius: ["35%", "65%"], data: data.stars.filter(function (s) { return s.count > 0; })
            .map(function (s) { return { name: s.stars + " 星", value: s.count }; }) }]
        });
        renderTrend(document.getElementById("trend-chart"), data.trend);
        root.dataset.loaded = "true";
      });
    window.addEventListener("resize", function () { drill.resize(); stars.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("dashboard");
    if (root) { dashboard(root); return; }
    var block = document.getElementById("trend-data");
    if (block) { renderTrend(document.getElementById("trend-chart"), JSON.parse(block.textContent)); }
  });
})();
