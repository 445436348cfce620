// The compact chat inside the widget's iframe. Everything from the student, the server or the
// corpus is put on the page with textContent: it renders as text, never as HTML.
(function () {
  "use strict";
  var MAX_CHARS = 2000;
  var MAX_HISTORY = 20;  // MAX_HISTORY_MESSAGES in advisor/answer/records.py: 10 turns
  var STORE_KEY = "advisor.conversation";  // sessionStorage: this tab, this site; gone when the tab closes
  var params = new URLSearchParams(location.search);
  var log = document.getElementById("log");
  var form = document.getElementById("form");
  var box = document.getElementById("q");
  var send = document.getElementById("send");
  var announce = document.getElementById("announce");
  var history = [];
  var turns = [];  // what the student asked and what came back, as kept in sessionStorage
  var examples = [];
  var office = {};
  var conversation = newConversation();
  try { examples = JSON.parse(document.getElementById("examples").textContent) || []; } catch (e) { examples = []; }
  try { office = JSON.parse(document.getElementById("office").textContent) || {}; } catch (e) { office = {}; }
  if (office.contact === "/contact") {  // the link to a person, only when the office set one (ADVISOR_CONTACT)
    var contact = document.createElement("a");
    contact.id = "contact"; contact.href = "/contact"; contact.target = "_blank"; contact.rel = "noopener";
    contact.textContent = "Ask a person";
    document.getElementById("title").insertAdjacentElement("afterend", contact);
  }

  function newConversation() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  var title = params.get("title");
  if (title) { document.getElementById("title").textContent = title.slice(0, 80); document.title = title.slice(0, 80); }
  if (params.get("compact") === "1") document.getElementById("title").classList.add("sr-only");  // the widget shows it
  var accent = params.get("accent");
  if (accent && /^#[0-9a-fA-F]{3,8}$/.test(accent)) { document.documentElement.style.setProperty("--accent", readable(accent)); }

  // The accent carries white text (and is text on white): below 4.5:1 (WCAG 2.1 AA) a darker shade is used.
  function readable(hex) {
    var h = hex.slice(1);
    if (h.length <= 4) h = h.split("").map(function (c) { return c + c; }).join("");
    var rgb = [0, 2, 4].map(function (i) { return parseInt(h.slice(i, i + 2), 16); });
    function ratio(c) {
      var l = c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
      return 1.05 / (0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2] + 0.05);
    }
    var c = rgb.slice();
    while (ratio(c) < 4.5) c = c.map(function (v) { return Math.floor(v * 0.92); });
    return "#" + c.map(function (v) { return ("0" + v.toString(16)).slice(-2); }).join("");
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function scroll() { log.scrollTop = log.scrollHeight; }

  function chips(questions) {
    var row = el("div", "chips");
    row.setAttribute("role", "group");
    row.setAttribute("aria-label", "Suggested questions");
    questions.forEach(function (q) {
      var b = el("button", "chip", q);
      b.type = "button";
      b.setAttribute("aria-label", "Ask: " + q);
      b.addEventListener("click", function () { ask(q); });
      row.appendChild(b);
    });
    return row;
  }

  function greet() {
    var text = params.get("greeting") || "Hi! Ask me about careers as a machine learning engineer or an AI engineer. Every answer shows the passage of the guide it comes from.";
    var m = el("div", "msg bot", text.slice(0, 400));
    if (office.privacy) m.appendChild(el("small", "privacy", office.privacy));
    if (examples.length) m.appendChild(chips(examples));
    log.appendChild(m);
  }

  // "text [1] more [2]" → text nodes and superscript markers.
  function answerBody(text) {
    var frag = document.createDocumentFragment();
    var lines = text.split("\n");
    var suggestions = lines.filter(function (l) { return l.indexOf("- ") === 0; }).map(function (l) { return l.slice(2); });
    var prose = lines.filter(function (l) { return l.indexOf("- ") !== 0; }).join("\n").trim();
    prose.split(/(\[\d+\])/).forEach(function (part) {
      if (/^\[\d+\]$/.test(part)) frag.appendChild(el("span", "cite", part));
      else if (part) frag.appendChild(document.createTextNode(part));
    });
    if (suggestions.length) frag.appendChild(chips(suggestions));
    return frag;
  }

  // A crawled page's URL is a link (http/https only, its text set as text); any other source is plain text.
  function sourceLine(source) {
    var line = el("small");
    if (/^https?:\/\/[^\s"'<>]+$/i.test(source)) {
      var a = el("a", null, source);
      a.href = source;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      line.appendChild(a);
    } else {
      line.textContent = source;
    }
    return line;
  }

  function sources(citations) {
    var details = el("details");
    details.appendChild(el("summary", null, "Sources (" + citations.length + ")"));
    var list = el("ol", "sources");
    list.setAttribute("aria-label", "Sources of this answer");
    citations.forEach(function (c) {
      var item = el("li", "source");
      item.appendChild(el("b", null, "[" + c.n + "] " + (c.section || "")));
      item.appendChild(sourceLine(c.source || ""));
      item.appendChild(el("blockquote", null, c.text || ""));
      list.appendChild(item);
    });
    details.appendChild(list);
    return details;
  }

  var REASONS = [["wrong", "It is wrong"], ["incomplete", "It is incomplete"], ["not what I asked", "Not what I asked"], ["other", "Other"]];

  function feedback(id, rating, reason, comment) {
    var body = { id: id, rating: rating };
    if (reason) body.reason = reason;
    if (comment) body.comment = comment.slice(0, 1000);
    return fetch("/api/feedback", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.ok; }).catch(function () { return false; });
  }

  // Thumbs up / down under an answer; a thumbs-down asks why (a reason, an optional comment).
  function rating(id) {
    var row = el("div", "rate");
    row.setAttribute("role", "group");
    row.setAttribute("aria-label", "Was this answer helpful?");
    var up = el("button", null, "Helpful"), down = el("button", null, "Not helpful"), thanks = el("span", "thanks");
    up.type = down.type = "button";
    thanks.setAttribute("role", "status");
    up.setAttribute("aria-pressed", "false"); down.setAttribute("aria-pressed", "false");
    row.appendChild(up); row.appendChild(down); row.appendChild(thanks);
    var why = null;
    function pressed(button) {
      up.setAttribute("aria-pressed", String(button === up)); down.setAttribute("aria-pressed", String(button === down));
    }
    up.addEventListener("click", function () {
      pressed(up); if (why) { why.remove(); why = null; }
      feedback(id, "up").then(function (ok) { thanks.textContent = ok ? "Thanks!" : "Could not send that."; });
    });
    down.addEventListener("click", function () {
      pressed(down);
      feedback(id, "down").then(function (ok) { thanks.textContent = ok ? "Thanks. What went wrong?" : "Could not send that."; });
      if (why) return;
      why = el("form", "why");
      var pick = el("select"); pick.setAttribute("aria-label", "What went wrong");
      REASONS.forEach(function (r) { var o = el("option", null, r[1]); o.value = r[0]; pick.appendChild(o); });
      var note = el("textarea"); note.maxLength = 1000; note.placeholder = "Anything to add? (optional)";
      note.setAttribute("aria-label", "Comment (optional, up to 1,000 characters)");
      var go = el("button", null, "Send"); go.type = "submit";
      why.appendChild(pick); why.appendChild(note); why.appendChild(go);
      why.addEventListener("submit", function (e) {
        e.preventDefault();
        feedback(id, "down", pick.value, note.value.trim()).then(function (ok) {
          thanks.textContent = ok ? "Thank you: the program office will read it." : "Could not send that.";
          if (ok && why) { why.remove(); why = null; }
        });
      });
      row.parentNode.insertBefore(why, row.nextSibling);
    });
    return row;
  }

  function say(text, cls) { var m = el("div", "msg bot " + (cls || ""), text); log.appendChild(m); scroll(); return m; }

  // One polite announcement per finished answer (the log itself is not live: nothing half-done is read out).
  function tell(text) {
    announce.textContent = "";
    setTimeout(function () { announce.textContent = text; }, 50);
  }

  function answerMsg(a) {
    var m = el("div", "msg bot");
    m.appendChild(answerBody(a.answer || ""));
    if (a.citations && a.citations.length) m.appendChild(sources(a.citations));
    if (a.id) m.appendChild(rating(a.id));
    return m;
  }

  function remember() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify({ conversation: conversation, turns: turns }));
    } catch (e) { /* storage blocked or full: the conversation lasts as long as the page */ }
  }

  // The conversation kept from an earlier page of the same site in this tab, if any.
  function restore() {
    var kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null"); } catch (e) { kept = null; }
    if (!kept || !Array.isArray(kept.turns) || typeof kept.conversation !== "string") return;
    conversation = kept.conversation.slice(0, 64);
    kept.turns.slice(-MAX_HISTORY / 2).forEach(function (t) {
      if (!t || typeof t.question !== "string" || !t.answer || typeof t.answer.answer !== "string") return;
      var a = { answer: t.answer.answer, id: typeof t.answer.id === "string" ? t.answer.id : null,
                citations: Array.isArray(t.answer.citations) ? t.answer.citations : [] };
      turns.push({ question: t.question, answer: a });
      history.push({ role: "user", content: t.question }, { role: "assistant", content: a.answer });
      log.appendChild(el("div", "msg user", t.question));
      log.appendChild(answerMsg(a));
    });
    scroll();
  }

  function ask(question) {
    question = (question || "").trim();
    if (!question || send.disabled) return;
    log.appendChild(el("div", "msg user", question));
    box.value = "";
    scroll();
    if (question.length > MAX_CHARS) {
      say("That message is " + question.length.toLocaleString("en-US") + " characters long. Please ask one question in under " + MAX_CHARS.toLocaleString("en-US") + " characters.", "note");
      return;
    }
    send.disabled = true;
    var waiting = say("…", "note");
    waiting.setAttribute("role", "img");
    waiting.setAttribute("aria-label", "Looking in the guide");
    fetch("/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: question, history: history.slice(-20), conversation: conversation })
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      waiting.remove();
      if (!res.ok) {
        tell(say("Sorry — " + (res.body && res.body.error ? res.body.error : "the advisor could not answer") + ".", "note").textContent);
        return;
      }
      var a = { answer: res.body.answer || "", id: res.body.id || null, citations: res.body.citations || [] };
      log.appendChild(answerMsg(a));
      history.push({ role: "user", content: question }, { role: "assistant", content: a.answer });
      history = history.slice(-MAX_HISTORY);
      turns.push({ question: question, answer: a });
      turns = turns.slice(-MAX_HISTORY / 2);
      remember();
      var said = a.answer.split("\n").filter(function (l) { return l.indexOf("- ") !== 0; }).join(" ").trim();
      tell("Answer: " + said + (a.citations.length ? " (" + a.citations.length + " sources)" : ""));
      if (window.parent !== window) window.parent.postMessage({ advisor: "answer" }, "*");  // the launcher counts unread ones
      scroll();
    }).catch(function () {
      waiting.remove();
      tell(say("Sorry — the advisor cannot be reached right now. Please try again in a moment.", "note").textContent);
    }).then(function () { send.disabled = false; box.focus(); });
  }

  // Escape closes the widget around this frame (the key never reaches the host page by itself).
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && window.parent !== window) window.parent.postMessage({ advisor: "close" }, "*");
  });
  // The widget asks for the focus when it opens: it goes to the question box.
  window.addEventListener("message", function (e) {
    if (e.source === window.parent && e.data && e.data.advisor === "focus") box.focus();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); ask(box.value); });
  box.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); ask(box.value); }
  });
  document.getElementById("clear").addEventListener("click", function () {
    history = [];
    turns = [];
    try { sessionStorage.removeItem(STORE_KEY); } catch (e) { /* nothing was kept */ }
    conversation = newConversation();
    while (log.firstChild) log.removeChild(log.firstChild);
    greet();
    tell("The conversation is cleared.");
    box.focus();
  });
  greet();
  restore();
})();
