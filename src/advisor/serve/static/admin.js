// The office console. Everything from the log (students' questions and comments, answers,
// sources) is put on the page with textContent or as plotly data: it renders as text, never as HTML.
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // The sign-in page: say why the last attempt failed.
  var loginError = document.getElementById("login-error");
  if (loginError) {
    var why = params.get("error");
    if (why === "token") { loginError.textContent = "That token is not right."; loginError.hidden = false; }
    if (why === "wait") {
      loginError.textContent = "Too many attempts; please wait " + (parseInt(params.get("s"), 10) || 60) + " s and try again.";
      loginError.hidden = false;
    }
    return;
  }

  var status = document.getElementById("status");
  var daysBox = document.getElementById("days");

  // Plotly reads some HTML-like tags in labels; a source name is shown as the plain text it is.
  function label(text) { return String(text).replace(/</g, "‹").replace(/>/g, "›"); }

  function chart(id, traces, layout) {
    var target = document.getElementById(id);
    if (!window.Plotly) { target.textContent = "(charts unavailable)"; return; }
    window.Plotly.react(target, traces, Object.assign({
      margin: { l: 40, r: 10, t: 10, b: 40 }, barmode: "stack", showlegend: true,
      legend: { orientation: "h", y: -0.2 }, font: { size: 12 }
    }, layout || {}), { displayModeBar: false, responsive: true });
  }

  function totals(t) {
    var box = document.getElementById("totals");
    box.replaceChildren();
    [["questions", "questions"], ["answered", "answered"], ["refused", "refused"], ["up", "thumbs up"],
     ["down", "thumbs down"], ["contact_clicks", "clicks to the office"]].forEach(function (pair) {
      var card = el("div", "total");
      card.appendChild(el("b", null, t[pair[0]]));
      card.appendChild(el("span", null, pair[1]));
      card.setAttribute("data-total", pair[0]);
      box.appendChild(card);
    });
  }

  function charts(s) {
    var days = s.per_day.map(function (d) { return d.day; });
    chart("chart-days", [
      { type: "bar", name: "answered", x: days, y: s.per_day.map(function (d) { return d.answered; }), marker: { color: "#1f5fbf" } },
      { type: "bar", name: "refused", x: days, y: s.per_day.map(function (d) { return d.refused; }), marker: { color: "#d08a1f" } }
    ]);
    chart("chart-feedback", [
      { type: "bar", name: "thumbs up", x: days, y: s.per_day.map(function (d) { return d.up; }), marker: { color: "#1e7a3c" } },
      { type: "bar", name: "thumbs down", x: days, y: s.per_day.map(function (d) { return d.down; }), marker: { color: "#b3261e" } }
    ], { barmode: "group" });
    var top = s.top_sources.slice().reverse();
    chart("chart-sources", [{
      type: "bar", orientation: "h", name: "answers citing it",
      x: top.map(function (t) { return t.citations; }), y: top.map(function (t) { return label(t.source); }),
      marker: { color: "#5b6475" }
    }], { margin: { l: 220, r: 10, t: 10, b: 30 }, showlegend: false });
  }

  function mark(group, status, card) {
    fetch("/admin/api/gaps", {
      method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/json", "x-advisor-console": "1" },
      body: JSON.stringify({ ids: group.ids, status: status })
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      card.remove();
    }).catch(function () { statusLine("The group could not be marked; please try again.", true); });
  }

  function gaps(groups, kept) {
    var box = document.getElementById("gaps");
    box.replaceChildren();
    if (!kept) { box.appendChild(el("p", "note", "Conversations are not stored (ADVISOR_STORE_CONVERSATIONS=false): only counts are kept.")); return; }
    if (!groups.length) { box.appendChild(el("p", "note", "Nothing in the inbox for this period.")); return; }
    groups.forEach(function (g) {
      var card = el("article", "gap");
      var head = el("h3");
      head.appendChild(el("span", "count", g.count));
      head.appendChild(document.createTextNode(g.examples[0] || ""));
      card.appendChild(head);
      var why = [];
      if (g.refused) why.push(g.refused + " refused");
      if (g.low_confidence) why.push(g.low_confidence + " low confidence");
      if (g.thumbs_down) why.push(g.thumbs_down + " thumbs down" + (g.reasons.length ? " (" + g.reasons.join(", ") + ")" : ""));
      card.appendChild(el("div", "why", why.join(" · ") + " · last " + g.last.replace("T", " ").slice(0, 16)));
      if (g.examples.length > 1) {
        var list = el("ul");
        g.examples.slice(1).forEach(function (q) { list.appendChild(el("li", "example", q)); });
        card.appendChild(list);
      }
      card.appendChild(el("div", "why", "The answer given:"));
      card.appendChild(el("blockquote", null, g.answer));
      var actions = el("div", "actions");
      var done = el("button", null, "Mark resolved");
      done.type = "button";
      done.addEventListener("click", function () { mark(g, "resolved", card); });
      var out = el("button", null, "Out of scope");
      out.type = "button";
      out.addEventListener("click", function () { mark(g, "out_of_scope", card); });
      actions.appendChild(done);
      actions.appendChild(out);
      card.appendChild(actions);
      box.appendChild(card);
    });
  }

  function recent(rows) {
    var body = document.querySelector("#recent tbody");
    body.replaceChildren();
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("td", null, r.time.replace("T", " ").slice(0, 16)));
      tr.appendChild(el("td", "text question", r.question));
      tr.appendChild(el("td", "text", r.answer.length > 300 ? r.answer.slice(0, 299) + "…" : r.answer));
      tr.appendChild(el("td", null, r.refused ? "yes" : ""));
      tr.appendChild(el("td", "text", [r.rating, r.reason, r.comment].filter(Boolean).join(" · ")));
      body.appendChild(tr);
    });
    if (!rows.length) {
      var tr = el("tr"); var td = el("td", "note", "No conversations stored yet."); td.colSpan = 5; tr.appendChild(td); body.appendChild(tr);
    }
  }

  function statusLine(text, bad) { status.textContent = text; status.className = bad ? "error" : "note"; }

  function load() {
    statusLine("Loading…");
    fetch("/admin/api/data?days=" + encodeURIComponent(daysBox.value), { credentials: "same-origin" })
      .then(function (r) {
        if (r.status === 401) { location.href = "/admin"; throw new Error("signed out"); }
        return r.json().then(function (body) { if (!r.ok) throw new Error(body.error || String(r.status)); return body; });
      })
      .then(function (d) {
        totals(d.summary.totals);
        charts(d.summary);
        gaps(d.gaps, d.summary.conversations_kept);
        recent(d.recent);
        statusLine("Last " + d.summary.days + " days, updated " + new Date().toLocaleTimeString() + ".");
      })
      .catch(function (e) { statusLine("The console could not load its data: " + e.message, true); });
  }

  daysBox.addEventListener("change", load);
  load();
})();
