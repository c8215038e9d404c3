// The team's listening radar: volume per platform per minute and the share of negative posts
// (a small live chart), what rises now, the accounts with reach, the brand's mentions, and
// alerts, each opening the posts behind it. Figures come from the server (simulator/radar.py).

import { hms } from "../clock.js";
import { number, percent, plural } from "../numbers.js";
import { addPosts } from "./state.js";

const COLOURS = {
  microblog: "#1d4f9c", brand_page: "#a35c00", forum: "#5b3c9c", news: "#1e7b34", internal: "#4a5260",
};

export function setupRadar(ctx) {
  const { $, i18n, platforms, state } = ctx;
  const box = $("[data-radar]");
  if (!box) return;
  let chart = null;

  function button(text, onClick, className = "radar__item") {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function open(posts) {
    if (!posts?.length) return;
    addPosts(state, posts);
    ctx.openPost(posts[0].id);
  }

  function alertText(alert) {
    if (alert.kind === "viral") {
      const post = alert.posts?.[0];
      return `🔁 ${i18n.alert_viral.replace("{n}", number(alert.n))}${post ? ` · ${post.author.name}: ${post.text}` : ""}`;
    }
    if (alert.kind === "press") {
      const post = alert.posts[0];
      return `📰 ${i18n.alert_press} · ${post.author.name}: ${post.text}`;
    }
    return `🔥 ${i18n.alert_fire.replace("{platform}", platforms[alert.platform] || alert.platform).replace("{n}", number(alert.n))}`;
  }

  function drawChart(radar) {
    const canvas = $("[data-radar-chart]", box);
    if (!window.Chart || !canvas) return;
    const labels = radar.minutes.map((m) => hms(m * 60).slice(0, 5));
    const datasets = Object.entries(radar.volume).map(([p, values]) => ({
      type: "bar", label: platforms[p] || p, data: values, backgroundColor: COLOURS[p] || "#888", stack: "v", yAxisID: "y",
    }));
    datasets.push({
      type: "line", label: i18n.negative_share, data: radar.negative.map((v) => Math.round(v * 100)),
      borderColor: "#c0281b", pointRadius: 0, tension: 0.3, yAxisID: "y1",
    });
    if (!chart) {
      chart = new window.Chart(canvas, {
        data: { labels, datasets },
        options: {
          animation: false, maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: {
            x: { stacked: true, ticks: { maxTicksLimit: 4, font: { size: 10 } } },
            y: { stacked: true, beginAtZero: true, ticks: { maxTicksLimit: 4, font: { size: 10 } } },
            y1: { position: "right", min: 0, max: 100, grid: { display: false }, ticks: { maxTicksLimit: 3, font: { size: 10 }, callback: (v) => `${v}%` } },
          },
        },
      });
    } else {
      chart.data.labels = labels;
      chart.data.datasets = datasets;
      chart.update("none");
    }
  }

  ctx.showRadar = (radar) => {
    if (!radar) return;
    const now = radar.now;
    $("[data-radar-now]", box).textContent = `${plural(i18n.posts_now, now.posts)} · ${percent(now.negative)} ${i18n.negative} · ${plural(i18n.mentions, now.mentions)}`;
    const alerts = radar.alerts.map((alert) => {
      const li = document.createElement("li");
      li.className = `radar__alert radar__alert--${alert.kind}`;
      li.dataset.alert = alert.kind;
      li.append(button(alertText(alert), () => {
        if (alert.posts?.length) open(alert.posts);
        else if (alert.kind === "fire") ctx.searchFor({ platform: alert.platform, from: Math.max(0, radar.minutes.at(-1) - 2) * 60 });
      }));
      return li;
    });
    $("[data-radar-alerts]", box).replaceChildren(...alerts);
    $("[data-radar-calm]", box).hidden = alerts.length > 0;
    $("[data-radar-rising]", box).replaceChildren(...radar.rising.map((r) => {
      const li = document.createElement("li");
      li.append(button(`${r.term} ${number(r.n)}`, () => ctx.searchFor({ text: r.term }), "radar__term"));
      return li;
    }));
    $("[data-radar-accounts]", box).replaceChildren(...radar.accounts.map((a) => {
      const li = document.createElement("li");
      li.append(button(`${a.name}${a.verified ? " ✓" : ""} · ${plural(i18n.followers, a.followers)} · ${platforms[a.platform] || a.platform}`, () => open([a.post])));
      return li;
    }));
    drawChart(radar);
    const tab = $('[data-tab="radar"] [data-radar-badge]');
    if (tab) { tab.hidden = alerts.length === 0; tab.textContent = String(alerts.length); }
  };
}
