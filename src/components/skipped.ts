/** A section the build could not compute, and why: one paragraph, class `skipped`, that pages display in its place. */
export function skippedNote(section: string, reason: string): HTMLElement {
  const p = document.createElement("p");
  p.className = "skipped";
  p.textContent = `${section} is skipped: ${reason}.`;
  return p;
}

/** A paragraph of a page's own markup (labels and computed numbers only, never input text). */
export function paragraph(markup: string, className = ""): HTMLElement {
  const p = document.createElement(className ? "div" : "p");
  if (className) p.className = className;
  p.innerHTML = markup;
  return p;
}
