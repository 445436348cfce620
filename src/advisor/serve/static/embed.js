// The compact chat inside the widget's iframe. Everything from the student, the server or the
// corpus is put on the page with textContent: it renders as text, never as HTML.
(function () {
  "use strict";
  var MAX_CHARS = 2000;
  var params = new URLSearchParams(location.search);
  var log = document.getElementById("log");
  var form = document.getElementById("form");
  var box = document.getElementById("q");
  var send = document.getElementById("send");
  var history = [];
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
  if (accent && /^#[0-9a-fA-F]{3,8}$/.test(accent)) { document.documentElement.style.setProperty("--accent", accent); }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function scroll() { log.scrollTop = log.scrollHeight; }

  function chips(questions) {
    var row = el("div", "chips");
    questions.forEach(function (q) {
      var b = el("button", "chip", q);
      b.type = "button";
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

  function sources(citations) {
    var details = el("details");
    details.appendChild(el("summary", null, "Sources (" + citations.length + ")"));
    citations.forEach(function (c) {
      var item = el("div", "source");
      item.appendChild(el("b", null, "[" + c.n + "] " + (c.section || "")));
      item.appendChild(el("small", null, c.source || ""));
      item.appendChild(el("blockquote", null, c.text || ""));
      details.appendChild(item);
    });
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
    var up = el("button", null, "Helpful"), down = el("button", null, "Not helpful"), thanks = el("span", "thanks");
    up.type = down.type = "button";
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
    waiting.setAttribute("aria-label", "Looking in the guide");
    fetch("/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: question, history: history.slice(-20), conversation: conversation })
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      waiting.remove();
      if (!res.ok) { say("Sorry — " + (res.body && res.body.error ? res.body.error : "the advisor could not answer") + ".", "note"); return; }
      var a = res.body;
      var m = el("div", "msg bot");
      m.appendChild(answerBody(a.answer || ""));
      if (a.citations && a.citations.length) m.appendChild(sources(a.citations));
      if (a.id) m.appendChild(rating(a.id));
      log.appendChild(m);
      history.push({ role: "user", content: question }, { role: "assistant", content: a.answer || "" });
      scroll();
    }).catch(function () {
      waiting.remove();
      say("Sorry — the advisor cannot be reached right now. Please try again in a moment.", "note");
    }).then(function () { send.disabled = false; box.focus(); });
  }

  // Escape closes the widget around this frame (the key never reaches the host page by itself).
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && window.parent !== window) window.parent.postMessage({ advisor: "close" }, "*");
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); ask(box.value); });
  box.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); ask(box.value); }
  });
  document.getElementById("clear").addEventListener("click", function () {
    history = [];
    conversation = newConversation();
    while (log.firstChild) log.removeChild(log.firstChild);
    greet();
    box.focus();
  });
  greet();
})();
