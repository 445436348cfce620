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
  var accent = readable(/^#[0-9a-fA-F]{3,8}$/.test(d.accent || "") ? d.accent : "#1f5fbf");
  var left = d.position === "left";
  var query = new URLSearchParams({ title: title, accent: accent, compact: "1" });
  if (d.greeting) query.set("greeting", d.greeting.slice(0, 400));

  // The accent carries white text: below 4.5:1 (WCAG 2.1 AA) a darker shade of it is used, and the console says so.
  function readable(hex) {
    var h = hex.slice(1);
    if (h.length <= 4) h = h.split("").map(function (c) { return c + c; }).join("");
    var rgb = [0, 2, 4].map(function (i) { return parseInt(h.slice(i, i + 2), 16); });
    var given = contrast(rgb), c = rgb.slice();
    while (contrast(c) < 4.5) c = c.map(function (v) { return Math.floor(v * 0.92); });
    var out = "#" + c.map(function (v) { return ("0" + v.toString(16)).slice(-2); }).join("");
    if (given < 4.5) {
      console.warn("advisor widget: data-accent " + hex + " has a contrast of " + given.toFixed(2) + ":1 with white text " +
        "(WCAG 2.1 AA needs 4.5:1); using the darker " + out + " (" + contrast(c).toFixed(2) + ":1) instead.");
    }
    return given < 4.5 ? out : hex;
  }
  function contrast(c) {  // against white
    var l = c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 1.05 / (0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2] + 0.05);
  }

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
    ".launcher:focus-visible { outline: 3px solid #111; outline-offset: 3px; box-shadow: 0 0 0 3px #fff; }" +
    ".close:focus-visible { outline: 3px solid #fff; outline-offset: -3px; }" +
    ".badge { position: absolute; top: -4px; " + (left ? "left" : "right") + ": -4px; min-width: 22px; height: 22px;" +
    " border-radius: 11px; background: #b3261e; color: #fff; font: 700 13px/22px system-ui, sans-serif;" +
    " text-align: center; padding: 0 5px; box-sizing: border-box; }" +
    ".badge[hidden] { display: none; }" +
    ".launcher svg { width: 26px; height: 26px; }" +
    ".panel { position: fixed; bottom: 88px; " + side + ": 20px; z-index: 2147483000; width: 380px; height: 560px;" +
    " max-height: calc(100vh - 110px); background: #fff; border-radius: 12px; overflow: hidden;" +
    " box-shadow: 0 10px 40px rgba(0,0,0,.3); display: flex; flex-direction: column;" +
    " font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }" +
    ".panel[hidden] { display: none; }" +
    ".bar { display: flex; align-items: center; justify-content: space-between; padding: 0 0 0 12px;" +
    " background: " + accent + "; color: #fff; font-weight: 600; }" +
    ".close { all: unset; cursor: pointer; font-size: 22px; line-height: 1; min-width: 44px; min-height: 44px;" +
    " display: inline-flex; align-items: center; justify-content: center; border-radius: 4px; }" +
    "iframe { border: 0; width: 100%; flex: 1; }" +
    "@media (max-width: 480px) { .panel { left: 0; right: 0; bottom: 0; width: 100%; height: 100%;" +
    " max-height: 100%; border-radius: 0; } .panel:not([hidden]) ~ .launcher { display: none; } }" +
    "@media (prefers-reduced-motion: reduce) { * { animation: none !important; transition: none !important; } }";
  root.appendChild(style);

  var button = document.createElement("button");
  button.className = "launcher";
  button.type = "button";
  button.setAttribute("aria-label", "Open chat: " + title);
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "advisor-panel");
  button.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
  var badge = document.createElement("span");  // unread answers, for sighted users; the label says it too
  badge.className = "badge";
  badge.hidden = true;
  badge.setAttribute("aria-hidden", "true");
  button.appendChild(badge);
  var unread = 0;

  function label() {
    var open = !panel.hidden;
    var text = (open ? "Close chat: " : "Open chat: ") + title;
    if (!open && unread) text += " (" + unread + (unread === 1 ? " unread answer)" : " unread answers)");
    button.setAttribute("aria-label", text);
    badge.textContent = String(unread);
    badge.hidden = open || !unread;
  }

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
    unread = 0;
    button.setAttribute("aria-expanded", "true");
    label();
    fit();
    frame.addEventListener("load", focusBox, { once: true });
    focusBox();
  }
  // The focus goes to the question box inside the frame (another origin: it is asked by message).
  function focusBox() {
    if (panel.hidden || !frame) return;
    frame.focus();
    if (frame.contentWindow) frame.contentWindow.postMessage({ advisor: "focus" }, origin);
  }
  function shut() {
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    label();
    button.focus();
  }
  // A phone's on-screen keyboard shrinks the visual viewport, not the layout one: the full-screen panel follows it.
  function fit() {
    var v = window.visualViewport;
    var phone = window.matchMedia("(max-width: 480px)").matches;
    panel.style.height = phone && v ? v.height + "px" : "";
    panel.style.top = phone && v ? v.offsetTop + "px" : "";
  }
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", fit);
    window.visualViewport.addEventListener("scroll", fit);
  }
  button.addEventListener("click", function () { panel.hidden ? open() : shut(); });
  close.addEventListener("click", shut);
  root.addEventListener("keydown", function (e) { if (e.key === "Escape" && !panel.hidden) shut(); });
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || !frame || e.source !== frame.contentWindow || !e.data) return;
    if (e.data.advisor === "close" && !panel.hidden) shut();
    if (e.data.advisor === "answer" && panel.hidden) { unread += 1; label(); }
  });

  root.appendChild(panel);
  root.appendChild(button);
  function attach() {
    document.body.appendChild(host);
    if (d.open === "true") open();
  }
  if (document.body) attach(); else document.addEventListener("DOMContentLoaded", attach);
})();
