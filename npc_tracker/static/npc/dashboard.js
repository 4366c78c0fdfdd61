/* The dashboard's charts (Apache ECharts, served by the app). Every bar, point and slice opens the case list
   filtered to the cases behind it; the tables below the charts hold the same figures for keyboards and print. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var screen = document.body.classList.contains("screen");
  var text = screen ? "#e6edf3" : "#1f2328";
  var font = {color: text, fontSize: screen ? 16 : 12};
  var charts = [];

  function draw(id, option, urlOf) {
    var element = document.getElementById(id);
    if (!element) return;
    var chart = echarts.init(element, null, {renderer: "svg"});
    chart.setOption(Object.assign({animation: !screen, textStyle: font}, option));
    chart.on("click", function (params) {
      var url = urlOf(params);
      if (url) window.location.href = url;
    });
    charts.push(chart);
  }

  draw("chart-rag", {
    tooltip: {trigger: "item"},
    legend: {bottom: 0, textStyle: font},
    series: [{type: "pie", radius: ["45%", "70%"], label: {formatter: "{c}", color: text},  // names are in the legend
              data: data.rag.map(function (s) { return {name: s.name, value: s.value, itemStyle: {color: s.colour}}; })}]
  }, function (p) { return data.rag[p.dataIndex].url; });

  var colours = ["#0b57d0", "#1a7f37", "#cf222e"];
  draw("chart-trend", {
    tooltip: {trigger: "axis"},
    legend: {top: 0, textStyle: font},
    grid: {left: 40, right: 20, top: 40, bottom: 30},
    xAxis: {type: "category", data: data.trend.months, axisLabel: font},
    yAxis: {type: "value", minInterval: 1, axisLabel: font},
    series: data.trend.series.map(function (s, i) {
      return {type: "line", name: s.name, data: s.values, smooth: false, symbolSize: 8, itemStyle: {color: colours[i]}};
    })
  }, function (p) { return data.trend.series[p.seriesIndex].urls[p.dataIndex]; });

  draw("chart-committees", {
    tooltip: {trigger: "axis"},
    legend: {top: 0, textStyle: font},
    grid: {left: 40, right: 20, top: 40, bottom: 60},
    xAxis: {type: "category", data: data.committees.labels, axisLabel: Object.assign({interval: 0, rotate: 20}, font)},
    yAxis: {type: "value", minInterval: 1, axisLabel: font},
    series: data.committees.series.map(function (s, i) {
      return {type: "bar", name: s.name, data: s.values, itemStyle: {color: i ? "#cf222e" : "#0b57d0"}};
    })
  }, function (p) { return data.committees.series[p.seriesIndex].urls[p.dataIndex]; });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
