() => {
  // The chat at /: Gradio's conversation log is a polite live region, so a screen reader would read every
  // streamed fragment. It is made quiet, and each finished answer is said once in a region of the app's own.
  const region = document.createElement("div");
  region.id = "answer-announcer";
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  region.setAttribute("aria-atomic", "true");
  region.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap";
  document.body.appendChild(region);
  let said = "";
  function settle() {
    const log = document.querySelector("[role=log]");
    if (!log) return;
    if (log.getAttribute("aria-live") !== "off") log.setAttribute("aria-live", "off");
    // Gradio disables the question box while a reply streams, and enables it again when it is done.
    const input = document.querySelector("textarea");
    const done = input !== null && !input.disabled;
    const answers = [...log.querySelectorAll("[data-testid=bot]")].filter((m) => !m.querySelector(".title"));
    const last = answers[answers.length - 1];
    if (!done || !last) return;
    const text = last.innerText.trim();
    if (text === said) return;
    said = text;
    region.textContent = "Answer: " + text;
  }
  new MutationObserver(settle).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["disabled"] });
  settle();
}
