// advisor widget: <script src="https://advisor.example.edu/widget.js" async
//   data-title="Ask about AI careers" data-accent="#8a1538" data-position="right"
//   data-greeting="Hi! Ask me about ML and AI engineering careers." data-open="false"></script>
// Adds a launcher button and a chat panel. Both live in a shadow root (the host page's CSS
// does not reach them) and the chat itself is an iframe of /embed on the advisor's origin.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__advisorWidget) return;
  window.__advisorWidget = true;
  var origin = new URL(script.src, location.href).origin;
  var d = script.dataset;
  var title = (d.title || "Career advisor").slice(0, 80);
  var accent = /^#[0-9a-fA-F]{3,8}$/.test(d.accent || "") ? d.accent : "#1f5fbf";
  var left = d.position === "left";
  var query = new URLSearchParams({ title: title, accent: accent, compact: "1" });
  if (d.greeting) query.set("greeting", d.greeting.slice(0, 400));

  var host = document.createElement("advisor-widget");  // a tag no page stylesheet targets
  host.setAttribute("data-advisor-widget", "");
  var root = host.attachShadow({ mode: "open" });
  var side = left ? "left" : "right";
  var style = document.createElement("style");
  style.textContent =
    ":host { all: initial; }" +
    // Inherited properties still flow in from the host element: pin the ones pages like to change.
    ".launcher, .panel { letter-spacing: normal; word-spacing: normal; text-transform: none; text-align: left;" +
    " font-style: normal; font-weight: 400; color: #1d2330; direction: ltr; visibility: visible; }" +
    ".launcher { position: fixed; bottom: 20px; " + side + ": 20px; z-index: 2147483000; width: 56px; height: 56px;" +
    " border-radius: 50%; border: 0; background: " + accent + "; color: #fff; cursor: pointer;" +
    " box-shadow: 0 4px 14px rgba(0,0,0,.25); display: flex; align-items: center; justify-content: center; }" +
    ".launcher:focus-visible, .close:focus-visible { outline: 3px solid #222; outline-offset: 2px; }" +
    ".launcher svg { width: 26px; height: 26px; }" +
    ".panel { position: fixed; bottom: 88px; " + side + ": 20px; z-index: 2147483000; width: 380px; height: 560px;" +
    " max-height: calc(100vh - 110px); background: #fff; border-radius: 12px; overflow: hidden;" +
    " box-shadow: 0 10px 40px rgba(0,0,0,.3); display: flex; flex-direction: column;" +
    " font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }" +
    ".panel[hidden] { display: none; }" +
    ".bar { display: flex; align-items: center; justify-content: space-between; padding: 8px 10px;" +
    " background: " + accent + "; color: #fff; font-weight: 600; }" +
    ".close { all: unset; cursor: pointer; font-size: 20px; line-height: 1; padding: 2px 8px; border-radius: 4px; }" +
    "iframe { border: 0; width: 100%; flex: 1; }" +
    "@media (max-width: 480px) { .panel { left: 0; right: 0; bottom: 0; width: 100%; height: 100%;" +
    " max-height: 100%; border-radius: 0; } }";
  root.appendChild(style);

  var button = document.createElement("button");
  button.className = "launcher";
  button.type = "button";
  button.setAttribute("aria-label", "Open chat: " + title);
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "advisor-panel");
  button.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

  var panel = document.createElement("div");
  panel.className = "panel";
  panel.id = "advisor-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", title);
  var bar = document.createElement("div");
  bar.className = "bar";
  var heading = document.createElement("span");
  heading.textContent = title;
  var close = document.createElement("button");
  close.className = "close";
  close.type = "button";
  close.setAttribute("aria-label", "Close chat");
  close.textContent = "\u00d7";
  bar.appendChild(heading);
  bar.appendChild(close);
  panel.appendChild(bar);
  var frame = null;

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.title = title;
      frame.src = origin + "/embed?" + query.toString();
      panel.appendChild(frame);
    }
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-label", "Close chat: " + title);
    frame.addEventListener("load", function () { try { frame.focus(); } catch (e) { /* cross-origin */ } }, { once: true });
    frame.focus();
  }
  function shut() {
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", "Open chat: " + title);
    button.focus();
  }
  button.addEventListener("click", function () { panel.hidden ? open() : shut(); });
  close.addEventListener("click", shut);
  root.addEventListener("keydown", function (e) { if (e.key === "Escape" && !panel.hidden) shut(); });
  window.addEventListener("message", function (e) {
    if (e.origin === origin && e.data && e.data.advisor === "close" && !panel.hidden) shut();
  });

  root.appendChild(panel);
  root.appendChild(button);
  function attach() {
    document.body.appendChild(host);
    if (d.open === "true") open();
  }
  if (document.body) attach(); else document.addEventListener("DOMContentLoaded", attach);
})();
